/**
 * The one contract every store implements (Neo4j and embedded), checked by one conformance suite
 * (test/store/graph-store.int.test.ts). The engine, the API and the exports depend on this, never on a
 * driver. Every method is deterministic: lists come back in a documented order.
 */
import type { EdgeKind, NodeKind } from '../model/kinds.js';
import type { StoredEdge, StoredNode } from '../model/record.js';
import type { GraphBatch, GraphStats, Source, WriteSummary } from '../model/types.js';
import type { StoreBackend, StoreSettings } from './store-settings.js';
import type { ProjectionSink, ProjectionState } from './projection-source.js';
import type { WriteProgress } from './write-recipe.js';

export interface WriteOptions {
  dryRun?: boolean;
  /** Called as the write goes: the step and `done` of `total` records (synchronously, often). */
  onProgress?: WriteProgress;
}

export type { StoreBackend } from './store-settings.js';

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
   * everything but commit. `onProgress` hears each step and how far it is (write-recipe.ts).
   */
  write(batch: GraphBatch, opts?: WriteOptions): Promise<WriteSummary>;

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
   * Changes with every committed write that changed something, by any process or server, and with
   * `clear()`; cheap (one tiny read). Equal versions mean the same committed graph. The propagation
   * projection (server/projection/) is rebuilt when it moves.
   */
  graphVersion(): Promise<string>;
  /**
   * Streams every node and every propagating edge (store/projection-source.ts) of one committed state
   * into `sink`, in batches of columns, and says which state that was. A store that cannot keep one
   * state for the whole read (Neo4j) checks the version before and after and throws CONFLICT when a
   * write came between; the caller reads again.
   */
  readProjection(sink: ProjectionSink): Promise<ProjectionState>;
  /** The sources of edges by the refs readProjection gave them, parallel to `refs`; null when gone. */
  edgeSources(refs: readonly number[]): Promise<Array<readonly Source[] | null>>;
  /** Where the projection may be kept between processes (a file path), when the store has a place for it. */
  readonly projectionPath?: string;
  /**
   * Settings that open this same store from another thread (the engine pool's workers, the server's
   * ingest worker), when it can be.
   */
  readonly openSettings?: StoreSettings;
  /** Every node marked compromised, ordered by id. */
  compromisedNodes(): Promise<StoredNode[]>;

  stats(): Promise<GraphStats>;
  /** Equal for equal content on any store (model/record.ts snapshotIdFrom), changes with content. */
  snapshotId(): Promise<string>;
  /** Deletes everything. For tests and `blast reset`. */
  clear(): Promise<void>;
}
