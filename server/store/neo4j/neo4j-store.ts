/**
 * The production GraphStore on Neo4j 5.26+ (community is enough, no plugins).
 *
 * Model: every node is `(:Node:<Kind> {id, kind, name, props, sources, compromised, firstIngestedAt,
 * hash, h1..h4})` with props and sources as JSON text; every edge a relationship of its own kind,
 * `[:DEPENDS_ON {key, since?, until?, confidence?, access?, sources, firstIngestedAt, hash, h1..h4}]`.
 * Nodes also carry `searchText` (search-query.ts), the words the full-text index reads.
 * h1..h4 are the record hash's 32-bit parts; a `(:Meta {id: 'graph'})` singleton caches their sums
 * and the record counts, kept exact by every write, so the snapshotId costs O(1) instead of a scan.
 *
 * Every statement lives in cypher/*.cypher (cypher-loader.ts); the driver is only touched by
 * executor.ts. Blast radii run on the propagation projection (server/projection/), streamed from here
 * in pages by projection-read.ts; the Meta node's epoch and version say when it is stale.
 */
import { Neo4jError } from 'neo4j-driver';
import { BlastError } from '../../model/errors.js';
import { EDGE_KINDS, NODE_KINDS, isEdgeKind, isNodeKind, type EdgeKind, type NodeKind } from '../../model/kinds.js';
import { hashParts } from '../../model/canonical-json.js';
import { snapshotIdFrom } from '../../model/snapshot.js';
import { edgeKey, type StoredEdge, type StoredNode } from '../../model/stored-record.js';
import type { GraphBatch, GraphStats, Source, WriteSummary } from '../../model/types.js';
import type { GraphStore, WriteOptions } from '../graph-store.js';
import type { ProjectionSink, ProjectionState } from '../projection-source.js';
import type { Neo4jSettings, StoreSettings } from '../store-settings.js';
import { completeForWrite, emptyLoaded, forEachHashChange, runWriteAsync, type AsyncWriteSteps, type Loaded } from '../write-recipe.js';
import { cypherCatalog, type CypherCatalog, type Hops, type Statement, type Vars } from './cypher-loader.js';
import { Executor, isTimeout, type ExecutorOptions, type Row, type Tx } from './executor.js';
import { compare, edgeColumns, edgeEnds, edgeFromRow, nodeColumns, nodeFromMap, toBigInt, toInteger, toNumber } from './records.js';
import { edgeSourcesOf, graphVersionOf, readProjection } from './projection-read.js';
import { fulltextQuery } from './search-query.js';

export type Neo4jStoreOptions = Neo4jSettings & Pick<ExecutorOptions, 'connectionTimeoutMs' | 'maxRetryMs'>;

/** Rows per UNWIND statement: big enough to amortise round trips, small enough for bounded memory. */
const WRITE_CHUNK = 5000;
const READ_CHUNK = 10_000;
/** Rows per inner transaction of clear(). */
const CLEAR_BATCH = 10_000;
/** How long init() waits for indexes to come online. */
const INDEX_TIMEOUT_SECONDS = 300;

/** What the load step found, with the element ids updates address records by. */
interface Neo4jLoaded extends Loaded {
  nodeRefs: Map<string, string>;
  edgeRefs: Map<string, string>;
}

/** Count and the four hash-part sums of one record type. */
interface Totals {
  count: bigint;
  sums: [bigint, bigint, bigint, bigint];
}

export class Neo4jStore implements GraphStore {
  readonly backend = 'neo4j' as const;
  private readonly db: Executor;
  private readonly cypher: CypherCatalog;

  readonly openSettings: StoreSettings;
  private readonly settings: Neo4jSettings;

  constructor(settings: Neo4jStoreOptions) {
    const { uri, user, password, database } = settings;
    this.settings = { uri, user, password, ...(database !== undefined && { database }) };
    this.cypher = cypherCatalog();
    this.db = new Executor(settings);
    this.openSettings = { backend: 'neo4j', neo4j: this.settings };
  }

  /** The Neo4j URI (without credentials), for messages. */
  get uri(): string {
    return this.db.uri;
  }

  async init(): Promise<void> {
    for (const template of this.cypher.fileTemplates('schema.cypher')) {
      for (const statement of this.cypher.expansions(template.name)) {
        try {
          await this.db.autoCommit('init', statement, { timeoutSeconds: toInteger(INDEX_TIMEOUT_SECONDS) });
        } catch (err) {
          // Another process created the same rule between our IF NOT EXISTS check and the commit.
          if (!isEquivalentSchemaRace(err)) throw err;
        }
      }
    }
  }

  async close(): Promise<void> {
    await this.db.close();
  }

  async ping(): Promise<void> {
    await this.db.read('ping', (tx) => tx.run(this.st('ping')));
  }

  /**
   * The shared write recipe (store/write-recipe.ts) in one transaction, with this store's storage
   * steps: load touched (pipelined reads), apply (CREATE what the plan knows is new, update the rest
   * by element id), totals + version (the Meta node, last).
   */
  async write(batch: GraphBatch, opts: WriteOptions = {}): Promise<WriteSummary> {
    const complete = completeForWrite(batch, opts.onProgress);
    return this.db.write(
      'write',
      async (tx) => {
        // The lock comes first: from here on no other writer changes what we read.
        // MATCH when the Meta node is there (no shared index lock before the write lock: see
        // write.cypher), MERGE only for the first write after clear().
        const found = await tx.run(this.st('lockGraphFound'));
        const [lock] = found.length > 0 ? found : await tx.run(this.st('lockGraph'));
        const totals = (await this.cachedTotals(tx, lock)) ?? (await this.recount(tx));
        return runWriteAsync(complete, this.writeSteps(tx, totals), opts.onProgress);
      },
      { rollback: opts.dryRun === true, metadata: { input: batch.input.slice(0, 200) } },
    );
  }

  private writeSteps(tx: Tx, totals: { nodes: Totals; edges: Totals }): AsyncWriteSteps<Neo4jLoaded> {
    return {
      load: async ({ batch, described, mentioned: expected }) => {
        // Statements that do not depend on each other are pipelined: Neo4j runs one while the next
        // is packed and sent. Mentioned nodes come back only when not stored as the batch expects.
        const loaded: Neo4jLoaded = { ...emptyLoaded(), nodeRefs: new Map(), edgeRefs: new Map() };
        const unexpected = new Map<string, NodeKind | null>();
        const readMentions = async (ids: string[], edges: { from: number[]; to: number[]; key: string[] }) => {
          const kinds = ids.map((id) => expected.get(id) ?? null);
          for (const row of await tx.run(this.st('readMentions'), { ids, kinds, ...edges })) {
            if (row.ref === null) {
              unexpected.set(row.id as string, row.kind as NodeKind | null);
            } else {
              const edge = edgeFromRow(row);
              loaded.edges.set(edge.key, edge);
              loaded.edgeRefs.set(edge.key, row.ref as string);
            }
          }
        };
        const reads: Promise<void>[] = [];
        for (const ids of chunks(described, READ_CHUNK)) {
          reads.push(
            tx.run(this.st('readNodes'), { ids }).then((rows) => {
              for (const row of rows) {
                const node = nodeFromMap(row.n);
                loaded.nodes.set(node.id, node);
                loaded.nodeRefs.set(node.id, row.ref as string);
              }
            }),
          );
        }
        const covered = new Set<string>();
        for (const part of chunks(batch.edges, READ_CHUNK)) {
          const { ends, from, to } = edgeEnds(part);
          for (const id of ends) covered.add(id);
          reads.push(readMentions(ends, { from, to, key: part.map(edgeKey) }));
        }
        const alone = [...expected.keys()].filter((id) => !covered.has(id));
        for (const ids of chunks(alone, READ_CHUNK)) reads.push(readMentions(ids, { from: [], to: [], key: [] }));
        await Promise.all(reads);
        for (const [id, kind] of expected) {
          const stored = unexpected.has(id) ? unexpected.get(id) : kind;
          if (stored) loaded.storedKinds.set(id, stored);
        }
        return loaded;
      },
      apply: async (plan, loaded, advance) => {
        // Nodes before edges (an edge's endpoints must exist): the server runs them in this order.
        const writes: Promise<unknown>[] = [];
        const [newNodes, changedNodes] = partition(plan.nodes, (n) => !loaded.nodeRefs.has(n.id));
        for (const [kind, nodes] of groupByKind(newNodes, NODE_KINDS)) {
          for (const part of chunks(nodes, WRITE_CHUNK)) writes.push(tx.run(this.st('createNodes', { NodeKind: kind }), { kind, ...nodeColumns(part) }).then(() => advance(part.length)));
        }
        for (const part of chunks(changedNodes, WRITE_CHUNK)) {
          writes.push(tx.run(this.st('updateNodes'), { ref: part.map((n) => loaded.nodeRefs.get(n.id)), ...nodeColumns(part) }).then(() => advance(part.length)));
        }
        const [newEdges, changedEdges] = partition(plan.edges, (e) => !loaded.edgeRefs.has(e.key));
        for (const [kind, edges] of groupByKind(newEdges, EDGE_KINDS)) {
          for (const part of chunks(edges, WRITE_CHUNK)) writes.push(tx.run(this.st('createEdges', { EdgeKind: kind }), { ...edgeEnds(part), ...edgeColumns(part) }).then(() => advance(part.length)));
        }
        for (const part of chunks(changedEdges, WRITE_CHUNK)) {
          writes.push(tx.run(this.st('updateEdges'), { ref: part.map((e) => loaded.edgeRefs.get(e.key)), ...edgeColumns(part) }).then(() => advance(part.length)));
        }
        await Promise.all(writes);
      },
      totals: async (plan, loaded, changed) => {
        forEachHashChange(plan, loaded, (table, _kind, before, after) => swap(totals[table], before, after));
        await tx.run(this.st('saveSnapshotSums'), {
          nodeCount: toInteger(totals.nodes.count),
          nodeSums: totals.nodes.sums.map(toInteger),
          edgeCount: toInteger(totals.edges.count),
          edgeSums: totals.edges.sums.map(toInteger),
          changed,
        });
        return snapshotOf(totals);
      },
    };
  }

  async getNodes(ids: readonly string[]): Promise<(StoredNode | null)[]> {
    if (ids.length === 0) return [];
    const found = await this.db.read('getNodes', async (tx) => {
      const byId = new Map<string, StoredNode>();
      for (const chunk of chunks([...new Set(ids)], READ_CHUNK)) {
        for (const row of await tx.run(this.st('nodesById'), { ids: chunk })) {
          const node = nodeFromMap(row.n);
          byId.set(node.id, node);
        }
      }
      return byId;
    });
    return ids.map((id) => found.get(id) ?? null);
  }

  async listNodes(q: { kind?: NodeKind; first: number; after?: string }): Promise<StoredNode[]> {
    const first = limitOf(q.first);
    if (first === 0) return [];
    const statement = q.kind === undefined ? this.st('listNodes') : this.st('listNodesOfKind', { NodeKind: checkNodeKind(q.kind) });
    const rows = await this.db.read('listNodes', (tx) => tx.run(statement, { after: q.after ?? '', first: toInteger(first) }));
    return rows.map((r) => nodeFromMap(r.n));
  }

  async countNodes(kind?: NodeKind): Promise<number> {
    const statement = kind === undefined ? this.st('countNodes') : this.st('countNodesOfKind', { NodeKind: checkNodeKind(kind) });
    const [row] = await this.db.read('countNodes', (tx) => tx.run(statement));
    return toNumber(row?.count);
  }

  async search(q: { text: string; kinds?: readonly NodeKind[]; first: number }): Promise<StoredNode[]> {
    const first = limitOf(q.first);
    const fulltext = typeof q.text === 'string' ? fulltextQuery(q.text) : null;
    if (first === 0 || fulltext === null || q.kinds?.length === 0) return [];
    const kinds = q.kinds === undefined ? null : q.kinds.map(checkNodeKind);
    const params = { query: fulltext.query, phrases: fulltext.phrases, kinds, first: toInteger(first) };
    const rows = await this.db.read('search', (tx) => tx.run(this.st('search'), params));
    return rows.map((r) => nodeFromMap(r.n));
  }

  async edgesOf(ids: readonly string[], q: { direction?: 'out' | 'in' | 'both'; kinds?: readonly EdgeKind[] } = {}): Promise<StoredEdge[]> {
    if (ids.length === 0 || q.kinds?.length === 0) return [];
    const direction = q.direction ?? 'both';
    const name = direction === 'out' ? 'edgesOut' : direction === 'in' ? 'edgesIn' : direction === 'both' ? 'edgesBoth' : null;
    if (name === null) throw new BlastError('BAD_INPUT', `direction must be out, in or both, not "${String(direction)}"`);
    const kinds = q.kinds === undefined ? null : q.kinds.map(checkEdgeKind);
    const unique = [...new Set(ids)];
    const edges = await this.db.read('edgesOf', async (tx) => {
      const out: StoredEdge[] = [];
      for (const chunk of chunks(unique, READ_CHUNK)) {
        for (const row of await tx.run(this.st(name), { ids: chunk, kinds })) out.push(edgeFromRow(row));
      }
      return out;
    });
    if (unique.length <= READ_CHUNK) return edges;
    // Several chunks: an edge between two chunks came back twice, and each chunk was sorted alone.
    const byKey = new Map(edges.map((e) => [e.key, e]));
    return [...byKey.values()].sort((a, b) => compare(a.key, b.key));
  }

  async graphVersion(): Promise<string> {
    return graphVersionOf(this.db, this.cypher);
  }

  async readProjection(sink: ProjectionSink): Promise<ProjectionState> {
    return readProjection(this.db, this.cypher, sink, () => this.snapshotId());
  }

  async edgeSources(refs: readonly number[]): Promise<Array<readonly Source[] | null>> {
    return edgeSourcesOf(this.db, this.cypher, refs);
  }

  async compromisedNodes(): Promise<StoredNode[]> {
    const rows = await this.db.read('compromisedNodes', (tx) => tx.run(this.st('compromisedNodes')));
    return rows.map((r) => nodeFromMap(r.n));
  }

  async stats(): Promise<GraphStats> {
    return this.db.read('stats', async (tx) => {
      const nodes: GraphStats['nodes'] = {};
      const edges: GraphStats['edges'] = {};
      for (const kind of NODE_KINDS) {
        const n = toNumber((await tx.run(this.st('countNodesOfKind', { NodeKind: kind })))[0]?.count);
        if (n > 0) nodes[kind] = n;
      }
      for (const kind of EDGE_KINDS) {
        const n = toNumber((await tx.run(this.st('countEdgesOfKind', { EdgeKind: kind })))[0]?.count);
        if (n > 0) edges[kind] = n;
      }
      const totals = await this.snapshotTotals(tx);
      return {
        nodes,
        edges,
        totalNodes: Number(totals.nodes.count),
        totalEdges: Number(totals.edges.count),
        snapshotId: snapshotOf(totals),
      };
    });
  }

  async snapshotId(): Promise<string> {
    return this.db.read('snapshotId', async (tx) => snapshotOf(await this.snapshotTotals(tx)));
  }

  /**
   * For benchmarks only (not part of GraphStore): the query a Neo4j user would write by hand, every
   * node within `hops` in any direction. Resolves to how many it reached, or null when Neo4j stopped
   * it after `timeoutMs`.
   */
  async naiveReach(id: string, hops: Hops, timeoutMs: number): Promise<number | null> {
    try {
      const [row] = await this.db.read('naiveReach', (tx) => tx.run(this.st('naiveReach', { Hops: hops }), { id }), { timeoutMs });
      return toNumber(row?.reached);
    } catch (err) {
      if (isTimeout(err)) return null;
      throw err;
    }
  }

  async clear(): Promise<void> {
    const batchSize = toInteger(CLEAR_BATCH);
    await this.db.autoCommit('clear', this.st('clearEdges'), { batchSize });
    await this.db.autoCommit('clear', this.st('clearNodes'), { batchSize });
    await this.db.autoCommit('clear', this.st('bumpGraphVersion'));
  }

  /**
   * The recomputed full sums. Cheap path: the Meta cache, trusted when its counts match the count
   * store's (both O(1)); otherwise (never written, or changed behind our back) a full recount.
   */
  private async snapshotTotals(tx: Tx): Promise<{ nodes: Totals; edges: Totals }> {
    const [meta] = await tx.run(this.st('readSnapshotSums'));
    return (await this.cachedTotals(tx, meta)) ?? (await this.recount(tx));
  }

  private async cachedTotals(tx: Tx, meta: Row | undefined): Promise<{ nodes: Totals; edges: Totals } | null> {
    if (!meta || meta.nodeCount == null || meta.edgeCount == null || !Array.isArray(meta.nodeSums) || !Array.isArray(meta.edgeSums)) return null;
    const cached = { nodes: totalsOf(meta.nodeCount, meta.nodeSums), edges: totalsOf(meta.edgeCount, meta.edgeSums) };
    const [nodeCount] = await tx.run(this.st('countNodes'));
    const [edgeCount] = await tx.run(this.st('countEdges'));
    if (toBigInt(nodeCount?.count) !== cached.nodes.count || toBigInt(edgeCount?.count) !== cached.edges.count) return null;
    return cached;
  }

  private async recount(tx: Tx): Promise<{ nodes: Totals; edges: Totals }> {
    const [nodes] = await tx.run(this.st('sumNodes'));
    const [edges] = await tx.run(this.st('sumEdges'));
    return { nodes: totalsOf(nodes?.count, nodes?.sums), edges: totalsOf(edges?.count, edges?.sums) };
  }

  private st(name: string, vars?: Vars): Statement {
    return this.cypher.statement(name, vars);
  }
}

function totalsOf(count: unknown, sums: unknown): Totals {
  const list = Array.isArray(sums) ? sums : [];
  return { count: toBigInt(count), sums: [0, 1, 2, 3].map((i) => toBigInt(list[i])) as Totals['sums'] };
}

/** Replaces a record's hash parts in the totals: `before` undefined means the record is new. */
function swap(totals: Totals, before: string | undefined, after: string): void {
  const sums = totals.sums;
  if (before === undefined) totals.count += 1n;
  else hashParts(before).forEach((h, i) => (sums[i] = sums[i]! - BigInt(h)));
  hashParts(after).forEach((h, i) => (sums[i] = sums[i]! + BigInt(h)));
}

function snapshotOf(t: { nodes: Totals; edges: Totals }): string {
  return snapshotIdFrom({ count: Number(t.nodes.count), sums: t.nodes.sums }, { count: Number(t.edges.count), sums: t.edges.sums });
}

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}

function* chunks<T>(items: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/** Groups records by kind, in the closed list's order (so statements run in a fixed order). */
function groupByKind<K extends string, T extends { kind: K }>(items: readonly T[], kinds: readonly K[]): [K, T[]][] {
  const groups = new Map<K, T[]>(kinds.map((k) => [k, []]));
  for (const item of items) groups.get(item.kind)?.push(item);
  return [...groups].filter(([, list]) => list.length > 0);
}

function limitOf(first: number): number {
  if (!Number.isFinite(first)) return first > 0 ? Number.MAX_SAFE_INTEGER : 0;
  return Math.max(0, Math.floor(first));
}

function checkNodeKind(kind: unknown): NodeKind {
  if (!isNodeKind(kind)) throw new BlastError('BAD_INPUT', `unknown node kind "${String(kind)}" (expected one of ${NODE_KINDS.join(', ')})`);
  return kind;
}

function checkEdgeKind(kind: unknown): EdgeKind {
  if (!isEdgeKind(kind)) throw new BlastError('BAD_INPUT', `unknown edge kind "${String(kind)}" (expected one of ${EDGE_KINDS.join(', ')})`);
  return kind;
}


const SCHEMA_RACE_CODES = new Set([
  'Neo.ClientError.Schema.EquivalentSchemaRuleAlreadyExists',
  'Neo.ClientError.Schema.ConstraintAlreadyExists',
  'Neo.ClientError.Schema.IndexAlreadyExists',
]);

function isEquivalentSchemaRace(err: unknown): boolean {
  const cause = err instanceof BlastError ? err.cause : err;
  return cause instanceof Neo4jError && SCHEMA_RACE_CODES.has(cause.code);
}
