/**
 * The one contract every store implements (Neo4j and embedded), checked by one conformance suite
 * (test/store/graph-store.int.test.ts). The engine, the API and the exports depend on this, never on a
 * driver. Every method is deterministic: lists come back in a documented order.
 */
import type { EdgeKind, NodeKind } from '../model/kinds.js';
import type { StoredEdge, StoredNode } from '../model/record.js';
import type { GraphBatch, GraphStats, WriteSummary } from '../model/types.js';
import type { KnownNumbers, PropagationColumns } from './propagation-columns.js';

export type StoreBackend = 'embedded' | 'neo4j';

/** One edge a compromise may cross out of a node, in the compromise's direction. */
export interface PropagationStep {
  /** The node the compromise leaves (one of the ids asked for). */
  from: string;
  /** The stored edge (its own from/to keep the stored direction). */
  edge: StoredEdge;
  /** The node on the far side. */
  to: StoredNode;
}

export interface GraphStore {
  readonly backend: StoreBackend;

  /** Creates constraints, indexes and tables; idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** Resolves when the store answers; rejects with STORE_UNAVAILABLE otherwise. */
  ping(): Promise<void>;

  /**
   * Upserts one batch atomically: completes and validates it (model/record.ts completeBatch), merges
   * with what is stored (planWrite) and writes all of it or nothing. Idempotent. With `dryRun`, does
   * everything but commit.
   */
  write(batch: GraphBatch, opts?: { dryRun?: boolean }): Promise<WriteSummary>;

  /** Nodes by id, in the order asked, null where absent. */
  getNodes(ids: readonly string[]): Promise<(StoredNode | null)[]>;
  /** Nodes ordered by id, after the cursor `after` (an id), at most `first`. */
  listNodes(q: { kind?: NodeKind; first: number; after?: string }): Promise<StoredNode[]>;
  countNodes(kind?: NodeKind): Promise<number>;
  /** Full-text search over id and name; best match first, then id. */
  search(q: { text: string; kinds?: readonly NodeKind[]; first: number }): Promise<StoredNode[]>;
  /**
   * Edges touching the given nodes in stored direction `out` (from ∈ ids), `in` (to ∈ ids) or `both`,
   * optionally of some kinds; ordered by key, deduplicated.
   */
  edgesOf(ids: readonly string[], q?: { direction?: 'out' | 'in' | 'both'; kinds?: readonly EdgeKind[] }): Promise<StoredEdge[]>;
  /**
   * For each id, every edge a compromise may cross out of it (model/kinds.ts PROPAGATION: forward
   * kinds out of it, reverse kinds into it) with the far node. Unfiltered: the engine applies access,
   * time, confidence and asOf rules. Ordered by (from, edge key).
   */
  propagation(ids: readonly string[]): Promise<PropagationStep[]>;
  /**
   * The same answer as propagation(ids), in columns (propagation-columns.ts): what the engine reads.
   * Equal content: the conformance suite checks that both forms agree. `known`: the ids' numbers from
   * an earlier answer's `numbers` (parallel to ids, with its numbering); a store may use them instead
   * of looking the ids up when the numbering is still its own, and ignores them otherwise.
   */
  propagationColumns(ids: readonly string[], known?: KnownNumbers): Promise<PropagationColumns>;
  /** Every node marked compromised, ordered by id. */
  compromisedNodes(): Promise<StoredNode[]>;

  stats(): Promise<GraphStats>;
  /** Equal for equal content on any store (model/record.ts snapshotIdFrom), changes with content. */
  snapshotId(): Promise<string>;
  /** Deletes everything. For tests and `blast reset`. */
  clear(): Promise<void>;
}
