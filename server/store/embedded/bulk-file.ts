/**
 * The embedded store's bulk path, file by file: a large write into an empty (or much smaller) store
 * builds a new database file beside graph.db, rows first and secondary indexes and the search index
 * after them (one sort each instead of millions of scattered index updates), then copies it into
 * graph.db in one transaction with SQLite's backup API, so that:
 *
 * - `kill -9` at any moment leaves the previous graph: before the copy commits, graph.db is untouched
 *   (a half-built file is removed by the next open); the copy itself is one write transaction in
 *   graph.db's WAL, committed or not;
 * - other processes with the store open keep working: they see the new graph at the commit, as after
 *   any write (the file is never replaced under them);
 * - the new graph has a new epoch, so the graph version moves.
 *
 * The rows come from the same write recipe as every write (load, plan, apply, totals), so the
 * snapshotId is the one the transactional path gives for the same input.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EDGE_WRITE_COLUMNS, NODE_WRITE_COLUMNS } from './rows.js';
import { DB_FILE, SCHEMA_SQL } from './schema.js';

/**
 * Least records (nodes and edges of the completed batch) for the bulk path.
 * @default 100000 (BLAST_BULK_MIN_RECORDS)
 */
export function bulkMinRecords(): number {
  return Number(process.env.BLAST_BULK_MIN_RECORDS) || 100_000;
}

/** The bulk path is taken when the batch is at least this many times the stored records. */
export const BULK_RATIO = 4;

export function wantsBulk(batchRecords: number, storedRecords: number): boolean {
  return batchRecords >= bulkMinRecords() && batchRecords >= BULK_RATIO * storedRecords;
}

const PREFIX = `${DB_FILE}.bulk-`;

/** Removes half-built files left by bulk writes whose process is gone (killed mid-build). */
export function removeStaleBulkFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(PREFIX)) continue;
    const pid = Number.parseInt(name.slice(PREFIX.length), 10);
    if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) continue;
    rmSync(join(dir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The schema in two parts: tables (before the rows) and secondary indexes (after them). */
function splitSchema(): { tables: string; indexes: string } {
  const statements = SCHEMA_SQL.split(/;\s*\n/).filter((s) => s.trim() !== '');
  const isIndex = (s: string) => /CREATE INDEX/i.test(s);
  return {
    tables: `${statements.filter((s) => !isIndex(s)).join(';\n')};`,
    indexes: `${statements.filter(isIndex).join(';\n')};`,
  };
}

export interface BulkFile {
  db: Database.Database;
  path: string;
  /** Creates the secondary indexes and fills the search index from the rows. */
  index(): void;
  /** Copies the file into `target` (graph.db) in one transaction; the file is removed after. */
  copyInto(target: string): Promise<void>;
  discard(): void;
}

/**
 * Creates the new file with the tables only (no journal: a crash throws the file away anyway), and
 * copies into it the rows, totals and meta of `live` (the current graph.db) with its rowids; the epoch
 * is new: a new database file.
 */
export function createBulkFile(dir: string, live: string): BulkFile {
  const path = join(dir, `${PREFIX}${process.pid}`);
  rmSync(path, { force: true });
  const db = new Database(path);
  const discard = () => {
    if (db.open) db.close();
    rmSync(path, { force: true });
  };
  try {
    for (const pragma of ['journal_mode = OFF', 'synchronous = OFF', 'temp_store = MEMORY', 'cache_size = -262144']) db.pragma(pragma);
    const schema = splitSchema();
    db.exec(schema.tables);
    db.prepare('ATTACH DATABASE ? AS live').run(live);
    db.exec(`BEGIN;
      INSERT INTO main.nodes (rowid, ${NODE_WRITE_COLUMNS}) SELECT rowid, ${NODE_WRITE_COLUMNS} FROM live.nodes ORDER BY rowid;
      INSERT INTO main.edges (rowid, ${EDGE_WRITE_COLUMNS}) SELECT rowid, ${EDGE_WRITE_COLUMNS} FROM live.edges ORDER BY rowid;
      INSERT INTO main.totals SELECT * FROM live.totals;
      INSERT INTO main.meta SELECT * FROM live.meta;
      UPDATE main.meta SET value = lower(hex(randomblob(8))) WHERE key = 'graph_epoch';
      COMMIT;`);
    db.exec('DETACH DATABASE live');
    return {
      db,
      path,
      index() {
        db.exec(`BEGIN; ${schema.indexes}
          INSERT INTO nodes_fts (rowid, id, name) SELECT rowid, id, name FROM nodes;
          COMMIT;`);
      },
      async copyInto(target: string) {
        try {
          // One step after the first: the whole file in one go (the destination's write lock is held
          // between steps anyway, and the commit comes with the last page).
          await db.backup(target, { progress: () => 0x7fffffff });
        } finally {
          discard();
        }
      },
      discard,
    };
  } catch (err) {
    discard();
    throw err;
  }
}
