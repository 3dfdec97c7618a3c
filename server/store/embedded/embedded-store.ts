/**
 * The embedded store: the whole graph in one SQLite file inside a data folder (better-sqlite3, WAL,
 * synchronous=FULL). No server, no Java; the default store of `npm start`.
 *
 * Durability: every `write()` is one IMMEDIATE transaction, so a process killed at any instant leaves
 * either the graph before the write or the graph after it; a commit is fsynced before `write()`
 * returns. Other processes may read while one writes (WAL); a second writer waits for the lock.
 * A write much larger than the store takes the bulk path (bulk-file.ts): a new file built beside
 * graph.db, copied into it in one transaction, with the same guarantees.
 *
 * Every method runs synchronously inside its promise: better-sqlite3 is synchronous and the work is
 * local disk I/O. Methods issuing more than one statement run them in one read transaction so they
 * see a single committed state even while another process writes.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { BlastError } from '../../model/errors.js';
import { EDGE_KINDS, NODE_KINDS, type EdgeKind, type NodeKind } from '../../model/kinds.js';
import { hashParts } from '../../model/canonical-json.js';
import { snapshotIdFrom } from '../../model/snapshot.js';
import type { StoredEdge, StoredNode } from '../../model/stored-record.js';
import { edgeKeysOf } from '../../model/write-plan.js';
import type { GraphBatch, GraphStats, Source, WriteSummary } from '../../model/types.js';
import type { GraphStore, WriteOptions } from '../graph-store.js';
import type { StoreSettings } from '../store-settings.js';
import type { ProjectionSink, ProjectionState } from '../projection-source.js';
import { completeForWrite, emptyLoaded, forEachHashChange, runWriteSync, type Loaded, type SyncWriteSteps } from '../write-recipe.js';
import { createBulkFile, removeStaleBulkFiles, wantsBulk, type BulkFile } from './bulk-file.js';
import { ftsQuery } from './fts-query.js';
import { PROJECTION_FILE, edgeSourcesOf, graphVersionOf, readProjection } from './projection-scan.js';
import {
  EDGE_COLUMNS,
  EDGE_WRITE_COLUMNS,
  NODE_COLUMN_COUNT,
  NODE_COLUMNS,
  NODE_WRITE_COLUMNS,
  TotalsDelta,
  edgeFromRaw,
  edgeParams,
  nodeFromRaw,
  nodeParams,
  sourcesJson,
  type RawRow,
} from './rows.js';
import { DB_FILE, PRAGMAS, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

/** How long a writer waits for another process's write to finish before giving up. */
const BUSY_TIMEOUT_MS = 15_000;
/** Ids per lookup statement while loading what a write touches. */
const LOAD_CHUNK = 10_000;
/** Records written between two progress reports. */
const PROGRESS_EVERY = 8192;
type Stmt = Database.Statement<unknown[], unknown>;

/** What the load step found, with the rowids of the stored nodes (updates address them by rowid). */
interface EmbeddedLoaded extends Loaded {
  rowids: Map<string, number>;
}

/** Thrown inside a dry-run transaction to roll it back while handing out its summary. */
class DryRunRollback {
  constructor(readonly summary: WriteSummary) {}
}

export class EmbeddedStore implements GraphStore {
  readonly backend = 'embedded' as const;
  /** The absolute data folder. */
  readonly dir: string;
  private db: Database.Database;
  private statements: Statements | null = null;
  private writeTx: Database.Transaction<(batch: GraphBatch, opts: WriteOptions) => WriteSummary> | null = null;
  /** Where the propagation projection of this store is kept between processes (server/projection/). */
  readonly projectionPath: string;
  readonly openSettings: StoreSettings;

  private constructor(dir: string, db: Database.Database) {
    this.dir = dir;
    this.db = db;
    this.projectionPath = join(dir, PROJECTION_FILE);
    this.openSettings = { backend: 'embedded', dataDir: dir };
  }

  /**
   * Opens (creating when missing) the store in folder `dir`; call `init()` before use.
   * Throws STORE_UNAVAILABLE naming the folder when it is not a usable folder or holds a file that is
   * not a database.
   * @example const store = EmbeddedStore.open(process.env.BLAST_DATA_DIR ?? '.blast'); await store.init();
   */
  static open(dir: string): EmbeddedStore {
    const abs = resolve(dir);
    try {
      mkdirSync(abs, { recursive: true });
      if (!statSync(abs).isDirectory()) throw new Error('not a folder');
    } catch (err) {
      throw unavailable(abs, `cannot use it as the data folder (${(err as Error).message})`, err);
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(join(abs, DB_FILE), { timeout: BUSY_TIMEOUT_MS });
      for (const pragma of PRAGMAS) db.pragma(pragma);
      const mode = db.pragma('journal_mode', { simple: true });
      if (mode !== 'wal') throw new Error(`journal mode is ${String(mode)}, WAL is required`);
      db.prepare('SELECT count(*) FROM sqlite_schema').get();
    } catch (err) {
      db?.close();
      throw unavailable(abs, `cannot open ${DB_FILE}: ${(err as Error).message}`, err);
    }
    return new EmbeddedStore(abs, db);
  }

  async init(): Promise<void> {
    this.guard(() => {
      const db = this.db;
      db.transaction(() => {
        const hasMeta = db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get();
        if (hasMeta) {
          const version = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get();
          if (version !== undefined && Number(version) > SCHEMA_VERSION) {
            throw unavailable(this.dir, `${DB_FILE} has schema version ${String(version)}; this release reads up to ${SCHEMA_VERSION}`);
          }
        }
        db.exec(SCHEMA_SQL);
        db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
        // The graph version: a random epoch for this database file and a counter every write bumps.
        db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('graph_epoch', lower(hex(randomblob(8))))").run();
        db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('graph_writes', '0')").run();
        if (!db.prepare("SELECT 1 FROM meta WHERE key = 'totals'").get()) {
          rebuildTotals(db);
          db.prepare("INSERT INTO meta (key, value) VALUES ('totals', 'maintained')").run();
        }
      }).immediate();
      this.statements = prepareStatements(db);
      removeStaleBulkFiles(this.dir);
      this.writeTx = db.transaction((batch: GraphBatch, opts: WriteOptions) => this.applyWrite(batch, opts));
    });
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async ping(): Promise<void> {
    this.guard(() => this.db.prepare('SELECT 1').get());
  }

  async write(batch: GraphBatch, opts: WriteOptions = {}): Promise<WriteSummary> {
    // Validation first: bad input never reaches the database.
    const completed = completeForWrite(batch, opts.onProgress);
    if (opts.dryRun !== true && wantsBulk(completed.nodes.length + completed.edges.length, this.guard(() => this.storedRecords()))) {
      return this.bulkWrite(completed, opts);
    }
    return this.guard(() => {
      const tx = this.writeTx;
      if (!tx) throw notInitialized(this.dir);
      try {
        return tx.immediate(completed, opts);
      } catch (err) {
        if (err instanceof DryRunRollback) return err.summary;
        throw err;
      }
    });
  }

  /**
   * The bulk path (bulk-file.ts): the same recipe, loading from graph.db and writing into a new file
   * that holds graph.db's rows plus the batch, indexed after the rows and then copied into graph.db
   * in one transaction. graph.db's write lock is held while the file is built, so no other writer
   * commits in between; one that commits in the instant between releasing it and the copy is
   * detected by the graph version (CONFLICT, nothing written) but for the copy's own first step.
   */
  private async bulkWrite(batch: GraphBatch, opts: WriteOptions): Promise<WriteSummary> {
    const live = join(this.dir, DB_FILE);
    const progress = opts.onProgress;
    const records = batch.nodes.length + batch.edges.length;
    let file: BulkFile | undefined;
    let summary: WriteSummary;
    let seen = '';
    try {
      summary = this.guard(() => {
        this.db.exec('BEGIN IMMEDIATE');
        seen = graphVersionOf(this.db);
        // Only a lock: nothing is written through this transaction, so it is rolled back.
        try {
          file = createBulkFile(this.dir, live);
          const into = prepareStatements(file.db);
          file.db.exec('BEGIN');
          const result = runWriteSync(batch, this.writeSteps(into, false), progress);
          file.db.exec('COMMIT');
          progress?.('indexing', 0, records);
          file.index();
          return result;
        } finally {
          this.db.exec('ROLLBACK');
        }
      });
      progress?.('committing', 0, records);
      // A writer that committed in the instant between the lock's release and the copy would be
      // overwritten by it: refuse instead (nothing of this write is stored; run it again).
      if (this.guard(() => graphVersionOf(this.db)) !== seen) {
        throw new BlastError('CONFLICT', 'another process wrote to the store while this bulk write was being built; nothing was written, run it again', { input: batch.input });
      }
      await file!.copyInto(live);
    } catch (err) {
      file?.discard();
      throw mapError(this.dir, err);
    }
    // The copy sits in the WAL: move it into graph.db now rather than at some later small write.
    this.guard(() => this.db.pragma('wal_checkpoint(TRUNCATE)'));
    return summary;
  }

  /** Records stored now (from the maintained totals). */
  private storedRecords(): number {
    return (this.s.kindCounts.all() as Array<{ n: number }>).reduce((sum, r) => sum + r.n, 0);
  }

  /**
   * The body of the write transaction: the shared write recipe (store/write-recipe.ts) with this
   * store's storage steps.
   */
  private applyWrite(batch: GraphBatch, opts: WriteOptions): WriteSummary {
    const summary = runWriteSync(batch, this.writeSteps(), opts.onProgress);
    if (opts.dryRun === true) throw new DryRunRollback(summary);
    return summary;
  }

  /**
   * The storage steps of the write recipe: load touched (from this database), apply and totals +
   * version (into `into`: this database, or the bulk path's new file, whose search index is built
   * after the rows, so `fts` is false there).
   */
  private writeSteps(into: Statements = this.s, fts = true): SyncWriteSteps<EmbeddedLoaded> {
    const s = this.s;
    return {
      load: (touched) => {
        // Nodes the batch describes are read whole (they are merged); of those it only mentions (stubs,
        // most of an edge batch's nodes) just whether they exist and their kind.
        const loaded: EmbeddedLoaded = { ...emptyLoaded(), rowids: new Map() };
        for (const chunk of chunks(touched.described, LOAD_CHUNK)) {
          for (const row of s.loadNodes.all(JSON.stringify(chunk)) as RawRow[]) {
            const node = nodeFromRaw(row);
            loaded.nodes.set(node.id, node);
            loaded.rowids.set(node.id, row[NODE_COLUMN_COUNT] as number);
          }
        }
        for (const chunk of chunks([...touched.mentioned.keys()], LOAD_CHUNK)) {
          for (const row of s.loadKinds.all(JSON.stringify(chunk)) as Array<[string, NodeKind]>) loaded.storedKinds.set(row[0], row[1]);
        }
        for (const chunk of chunks(edgeKeysOf(touched.batch), LOAD_CHUNK)) {
          for (const row of s.loadEdges.all(JSON.stringify(chunk)) as RawRow[]) loaded.edges.set(row[0] as string, edgeFromRaw(row));
        }
        return loaded;
      },
      apply: (plan, loaded, advance) => {
        const s = into;
        // In key order: neighbouring inserts land on the same index pages (fewer pages to write).
        plan.nodes.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        plan.edges.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
        const json = sourcesJson();
        let written = 0;
        const tick = () => {
          if (++written === PROGRESS_EVERY) {
            advance(written);
            written = 0;
          }
        };
        for (const node of plan.nodes) {
          tick();
          const prev = loaded.nodes.get(node.id);
          const params = nodeParams(node, hashParts(node.hash), json);
          if (prev) {
            const rowid = loaded.rowids.get(node.id)!;
            s.updateNode.run(...params, rowid);
            if (fts && prev.name !== node.name) {
              s.ftsDelete.run(rowid);
              s.ftsInsert.run(rowid, node.id, node.name);
            }
          } else {
            // Not RETURNING rowid: better-sqlite3 runs INSERT ... RETURNING several times slower.
            const rowid = s.insertNode.run(params).lastInsertRowid;
            if (fts) s.ftsInsert.run(rowid, node.id, node.name);
          }
        }
        for (const edge of plan.edges) {
          tick();
          s.upsertEdge.run(edgeParams(edge, hashParts(edge.hash), json));
        }
        advance(written);
      },
      totals: (plan, loaded, changed) => {
        const s = into;
        const delta = new TotalsDelta();
        forEachHashChange(plan, loaded, (table, kind, before, after) => {
          if (before !== undefined) delta.add(table, kind, before, -1);
          delta.add(table, kind, after, 1);
        });
        for (const row of delta.rows()) s.addTotals.run(...row);
        // In the write's own transaction: a reader sees the new version exactly when it sees the new data.
        if (changed) s.bumpVersion.run();
        return snapshotOf(into);
      },
    };
  }

  async getNodes(ids: readonly string[]): Promise<(StoredNode | null)[]> {
    if (ids.length === 0) return [];
    return this.guard(() => {
      const found = this.read(() => this.nodeMap(ids));
      return ids.map((id) => found.get(id) ?? null);
    });
  }

  async listNodes(q: { kind?: NodeKind; first: number; after?: string }): Promise<StoredNode[]> {
    const first = limitOf(q.first);
    if (first === 0) return [];
    return this.guard(() => {
      const after = q.after ?? '';
      const rows = (q.kind === undefined ? this.s.listAll.all(after, first) : this.s.listKind.all(q.kind, after, first)) as RawRow[];
      return rows.map(nodeFromRaw);
    });
  }

  async countNodes(kind?: NodeKind): Promise<number> {
    return this.guard(() => {
      const rows = this.s.countNodes.all() as Array<{ kind: string; n: number }>;
      return rows.filter((r) => kind === undefined || r.kind === kind).reduce((sum, r) => sum + r.n, 0);
    });
  }

  async search(q: { text: string; kinds?: readonly NodeKind[]; first: number }): Promise<StoredNode[]> {
    const first = limitOf(q.first);
    const match = typeof q.text === 'string' ? ftsQuery(q.text) : null;
    if (first === 0 || match === null || (q.kinds !== undefined && q.kinds.length === 0)) return [];
    return this.guard(() => {
      const rows = this.s.search.all({ match, kinds: q.kinds ? JSON.stringify(q.kinds) : null, first }) as RawRow[];
      return rows.map(nodeFromRaw);
    });
  }

  async edgesOf(ids: readonly string[], q: { direction?: 'out' | 'in' | 'both'; kinds?: readonly EdgeKind[] } = {}): Promise<StoredEdge[]> {
    if (ids.length === 0 || (q.kinds !== undefined && q.kinds.length === 0)) return [];
    const direction = q.direction ?? 'both';
    const stmt = direction === 'out' ? this.s.edgesOut : direction === 'in' ? this.s.edgesIn : this.s.edgesBoth;
    return this.guard(() => {
      const rows = stmt.all({ ids: JSON.stringify(unique(ids)), kinds: q.kinds ? JSON.stringify(q.kinds) : null }) as RawRow[];
      return rows.map(edgeFromRaw);
    });
  }

  async graphVersion(): Promise<string> {
    return this.guard(() => graphVersionOf(this.db));
  }

  async readProjection(sink: ProjectionSink): Promise<ProjectionState> {
    // One read transaction: every scan, the version and the snapshotId see one committed state.
    return this.guard(() => this.db.transaction(() => ({ ...readProjection(this.db, sink), snapshotId: this.currentSnapshotId() })).deferred());
  }

  async edgeSources(refs: readonly number[]): Promise<Array<readonly Source[] | null>> {
    return this.guard(() => edgeSourcesOf(this.db, refs));
  }

  async compromisedNodes(): Promise<StoredNode[]> {
    return this.guard(() => (this.s.compromised.all() as RawRow[]).map(nodeFromRaw));
  }

  async stats(): Promise<GraphStats> {
    return this.guard(() =>
      this.read(() => {
        const counts = new Map<string, number>();
        for (const r of this.s.kindCounts.all() as Array<{ tbl: string; kind: string; n: number }>) counts.set(`${r.tbl}:${r.kind}`, r.n);
        // Kinds in the closed-list order of model/kinds.ts, absent when there are none.
        const nodes: GraphStats['nodes'] = {};
        let totalNodes = 0;
        for (const kind of NODE_KINDS) {
          const n = counts.get(`nodes:${kind}`) ?? 0;
          if (n > 0) nodes[kind] = n;
          totalNodes += n;
        }
        const edges: GraphStats['edges'] = {};
        let totalEdges = 0;
        for (const kind of EDGE_KINDS) {
          const n = counts.get(`edges:${kind}`) ?? 0;
          if (n > 0) edges[kind] = n;
          totalEdges += n;
        }
        return { nodes, edges, totalNodes, totalEdges, snapshotId: this.currentSnapshotId() };
      }),
    );
  }

  async snapshotId(): Promise<string> {
    return this.guard(() => this.currentSnapshotId());
  }

  async clear(): Promise<void> {
    this.guard(() =>
      this.db
        .transaction(() => {
          this.db.exec(`DELETE FROM nodes; DELETE FROM edges; DELETE FROM totals;
            INSERT INTO nodes_fts (nodes_fts) VALUES ('delete-all');`);
          this.s.bumpVersion.run();
        })
        .immediate(),
    );
  }

  /**
   * Recounts `totals` from the records themselves (the h1..h4 columns) and returns the snapshotId.
   * The totals are maintained by every write; this is for repair and for tests that check them.
   */
  async rebuildTotals(): Promise<string> {
    return this.guard(() => {
      this.db.transaction(() => rebuildTotals(this.db)).immediate();
      return this.currentSnapshotId();
    });
  }

  /** The snapshotId from the maintained totals: count and four hash-slice sums per record type. */
  private currentSnapshotId(): string {
    return snapshotOf(this.s);
  }

  private nodeMap(ids: readonly string[]): Map<string, StoredNode> {
    const found = new Map<string, StoredNode>();
    for (const chunk of chunks(unique(ids), LOAD_CHUNK)) {
      for (const row of this.s.getNodes.all(JSON.stringify(chunk)) as RawRow[]) found.set(row[0] as string, nodeFromRaw(row));
    }
    return found;
  }

  /** Runs `fn` in one read transaction (one consistent snapshot), or inside the current transaction. */
  private read<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.db.transaction(fn).deferred();
  }

  private get s(): Statements {
    if (!this.statements) throw notInitialized(this.dir);
    return this.statements;
  }

  /** Runs `fn`, turning SQLite's I/O, lock and corruption errors into STORE_UNAVAILABLE naming the folder. */
  private guard<T>(fn: () => T): T {
    if (!this.db.open) throw unavailable(this.dir, 'the store is closed');
    try {
      return fn();
    } catch (err) {
      throw mapError(this.dir, err);
    }
  }
}

/** The snapshotId from the maintained totals of a database: count and four hash-slice sums per record type. */
function snapshotOf(s: Statements): string {
  const sums = { nodes: [0n, 0n, 0n, 0n, 0n], edges: [0n, 0n, 0n, 0n, 0n] };
  for (const r of s.totals.all() as Array<{ tbl: 'nodes' | 'edges'; n: bigint; s1: bigint; s2: bigint; s3: bigint; s4: bigint }>) {
    const t = sums[r.tbl];
    [r.n, r.s1, r.s2, r.s3, r.s4].forEach((v, i) => (t[i]! += v));
  }
  const part = (t: bigint[]) => ({ count: Number(t[0]!), sums: t.slice(1) });
  return snapshotIdFrom(part(sums.nodes), part(sums.edges));
}

type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database.Database) {
  const p = (sql: string): Stmt => db.prepare(sql);
  /** Reads rows as arrays of NODE_COLUMNS / EDGE_COLUMNS values (rows.ts). */
  const raw = (sql: string): Stmt => db.prepare(sql).raw(true);
  const kindFilter = '(@kinds IS NULL OR kind IN (SELECT value FROM json_each(@kinds)))';
  const ids = 'SELECT value FROM json_each(@ids)';
  return {
    getNodes: raw(`SELECT ${NODE_COLUMNS} FROM nodes WHERE id IN (SELECT value FROM json_each(?))`),
    loadEdges: raw(`SELECT ${EDGE_COLUMNS} FROM edges WHERE key IN (SELECT value FROM json_each(?))`),
    loadNodes: raw(`SELECT ${NODE_COLUMNS}, rowid FROM nodes WHERE id IN (SELECT value FROM json_each(?))`),
    loadKinds: raw('SELECT id, kind FROM nodes WHERE id IN (SELECT value FROM json_each(?))'),
    insertNode: p(`INSERT INTO nodes (${NODE_WRITE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    updateNode: p(
      `UPDATE nodes SET (${NODE_WRITE_COLUMNS}) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) WHERE rowid = ?`,
    ),
    upsertEdge: p(
      `INSERT INTO edges (${EDGE_WRITE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET src = excluded.src, kind = excluded.kind, dst = excluded.dst,
         access = excluded.access, since = excluded.since, until = excluded.until, confidence = excluded.confidence,
         sources = excluded.sources, first_ingested_at = excluded.first_ingested_at,
         hash = excluded.hash, h1 = excluded.h1, h2 = excluded.h2, h3 = excluded.h3, h4 = excluded.h4`,
    ),
    ftsInsert: p('INSERT INTO nodes_fts (rowid, id, name) VALUES (?, ?, ?)'),
    ftsDelete: p('DELETE FROM nodes_fts WHERE rowid = ?'),
    addTotals: p(
      `INSERT INTO totals (tbl, kind, n, s1, s2, s3, s4) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (tbl, kind) DO UPDATE SET n = n + excluded.n, s1 = s1 + excluded.s1, s2 = s2 + excluded.s2,
         s3 = s3 + excluded.s3, s4 = s4 + excluded.s4`,
    ),
    totals: p('SELECT tbl, n, s1, s2, s3, s4 FROM totals').safeIntegers(true),
    kindCounts: p('SELECT tbl, kind, n FROM totals'),
    countNodes: p("SELECT kind, n FROM totals WHERE tbl = 'nodes'"),
    listAll: raw(`SELECT ${NODE_COLUMNS} FROM nodes WHERE id > ? ORDER BY id LIMIT ?`),
    listKind: raw(`SELECT ${NODE_COLUMNS} FROM nodes WHERE kind = ? AND id > ? ORDER BY id LIMIT ?`),
    search: raw(
      `SELECT ${NODE_COLUMNS.split(', ').map((c) => `n.${c}`).join(', ')}
       FROM nodes_fts JOIN nodes n ON n.rowid = nodes_fts.rowid
       WHERE nodes_fts MATCH @match AND (@kinds IS NULL OR n.kind IN (SELECT value FROM json_each(@kinds)))
       ORDER BY bm25(nodes_fts), n.id LIMIT @first`,
    ),
    edgesOut: raw(`SELECT ${EDGE_COLUMNS} FROM edges WHERE src IN (${ids}) AND ${kindFilter} ORDER BY key`),
    edgesIn: raw(`SELECT ${EDGE_COLUMNS} FROM edges WHERE dst IN (${ids}) AND ${kindFilter} ORDER BY key`),
    edgesBoth: raw(
      `SELECT ${EDGE_COLUMNS} FROM edges
       WHERE rowid IN (SELECT rowid FROM edges WHERE src IN (${ids}) UNION SELECT rowid FROM edges WHERE dst IN (${ids}))
         AND ${kindFilter}
       ORDER BY key`,
    ),
    compromised: raw(`SELECT ${NODE_COLUMNS} FROM nodes WHERE compromised = 1 ORDER BY id`),
    bumpVersion: p("UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'graph_writes'"),
  };
}

/** Recomputes `totals` from the h1..h4 columns of every record. */
function rebuildTotals(db: Database.Database): void {
  db.exec(`DELETE FROM totals;
    INSERT INTO totals (tbl, kind, n, s1, s2, s3, s4)
      SELECT 'nodes', kind, count(*), sum(h1), sum(h2), sum(h3), sum(h4) FROM nodes GROUP BY kind;
    INSERT INTO totals (tbl, kind, n, s1, s2, s3, s4)
      SELECT 'edges', kind, count(*), sum(h1), sum(h2), sum(h3), sum(h4) FROM edges GROUP BY kind;`);
}

function notInitialized(dir: string): BlastError {
  return new BlastError('INTERNAL', 'EmbeddedStore.init() was not called', { input: dir });
}

function unavailable(dir: string, reason: string, cause?: unknown): BlastError {
  return new BlastError('STORE_UNAVAILABLE', `embedded store at ${dir}: ${reason}`, { input: dir, cause });
}

/** SQLite result codes that mean the store itself cannot serve, not that the request was wrong. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|CORRUPT|NOTADB|CANTOPEN|READONLY|FULL|PERM|NOMEM|AUTH|PROTOCOL)/;

function mapError(dir: string, err: unknown): unknown {
  if (err instanceof BlastError) return err;
  if (err instanceof Database.SqliteError && UNAVAILABLE_CODES.test(err.code)) {
    const reason = err.code.startsWith('SQLITE_BUSY') || err.code.startsWith('SQLITE_LOCKED')
      ? `another process is writing and did not finish within ${BUSY_TIMEOUT_MS / 1000} s`
      : `${err.message} (${err.code})`;
    return unavailable(dir, reason, err);
  }
  if (err instanceof TypeError && /database connection is not open/i.test(err.message)) return unavailable(dir, 'the store is closed', err);
  return err;
}

function limitOf(first: number): number {
  if (!Number.isFinite(first) || first <= 0) return 0;
  return Math.min(Math.floor(first), Number.MAX_SAFE_INTEGER);
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function* chunks<T>(values: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < values.length; i += size) yield values.slice(i, i + size);
}
