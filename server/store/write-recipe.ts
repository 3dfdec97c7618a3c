/**
 * The one write recipe every store follows (GraphStore.write, and the embedded bulk path):
 *
 *   1. complete and validate the batch (model/validate-batch.ts), before any transaction;
 *   2. load what it touches: the stored nodes it describes (whole), the kinds of the nodes it only
 *      mentions, the stored edges it names                                       -> backend `load`
 *   3. plan: merge, hash, split into added / updated / unchanged (model/write-plan.ts);
 *   4. apply the plan's new and changed records                                  -> backend `apply`
 *   5. update the snapshot totals and, exactly when the plan changed something, the graph version,
 *      and say the snapshotId after                                              -> backend `totals`
 *
 * A backend implements only the storage steps, inside its own transaction; the merge and the hashes
 * are shared, so equal input gives equal records and an equal snapshotId on every store and path.
 * Two drivers run the same steps: `runWriteSync` for a synchronous store (better-sqlite3, whose
 * transactions cannot span an await) and `runWriteAsync` for a driver-based one (Neo4j).
 */
import type { NodeKind } from '../model/kinds.js';
import type { StoredEdge, StoredNode } from '../model/stored-record.js';
import type { GraphBatch, WriteSummary } from '../model/types.js';
import { completeBatch } from '../model/validate-batch.js';
import { planWrite, type WritePlan } from '../model/write-plan.js';

/** What a completed batch touches, as the load step needs it. */
export interface Touched {
  /** The completed batch. */
  batch: GraphBatch;
  /** Ids of the nodes the batch describes: read whole, they are merged. */
  described: string[];
  /** Nodes the batch only mentions (stubs), with the kind the batch expects: existence and kind suffice. */
  mentioned: Map<string, NodeKind>;
}

/** What the load step found stored. A backend may extend it with its own row references. */
export interface Loaded {
  nodes: Map<string, StoredNode>;
  edges: Map<string, StoredEdge>;
  /** Stored kinds of mentioned nodes that are stored (their records need not be read). */
  storedKinds: Map<string, NodeKind>;
}

/** The storage steps of a synchronous store (every step runs inside its one transaction). */
export interface SyncWriteSteps<L extends Loaded> {
  load(touched: Touched): L;
  /** Writes the plan's records; calls `advance(n)` after every n records written (for progress). */
  apply(plan: WritePlan, loaded: L, advance: Advance): void;
  /** Updates the totals and, when `changed`, the graph version; returns the snapshotId after. */
  totals(plan: WritePlan, loaded: L, changed: boolean): string;
}

/** The same steps for a store reached through a driver. */
export interface AsyncWriteSteps<L extends Loaded> {
  load(touched: Touched): Promise<L>;
  apply(plan: WritePlan, loaded: L, advance: Advance): Promise<void>;
  totals(plan: WritePlan, loaded: L, changed: boolean): Promise<string>;
}

/**
 * Progress of one write, step by step: `done` of `total` records in `step`. Validating and loading
 * are reported once at their start (done 0); planning counts the completed batch's records, writing
 * the records it adds or changes.
 */
export type WriteProgress = (step: WriteStep, done: number, total: number) => void;
/** Steps in order; a bulk path adds `indexing` (indexes after the rows) and `committing` (the swap). */
export type WriteStep = 'validating' | 'loading' | 'planning' | 'writing' | 'indexing' | 'committing';

/** Records planned between two progress reports (planning in slices gives the same plan). */
const PLAN_SLICE = 32_768;
export type Advance = (records: number) => void;

/** Step 1, outside any transaction: bad input never reaches a store. */
export function completeForWrite(batch: GraphBatch, progress?: WriteProgress): GraphBatch {
  progress?.('validating', 0, batch.nodes.length + batch.edges.length);
  return completeBatch(batch);
}

export function touchedBy(batch: GraphBatch): Touched {
  const described: string[] = [];
  const mentioned = new Map<string, NodeKind>();
  for (const n of batch.nodes) {
    if (n.stub) mentioned.set(n.id, n.kind);
    else described.push(n.id);
  }
  return { batch, described, mentioned };
}

export function emptyLoaded(): Loaded {
  return { nodes: new Map(), edges: new Map(), storedKinds: new Map() };
}

/** Steps 2–5 for a synchronous store, inside the caller's transaction. `batch` is completed. */
export function runWriteSync<L extends Loaded>(batch: GraphBatch, steps: SyncWriteSteps<L>, progress?: WriteProgress): WriteSummary {
  progress?.('loading', 0, batch.nodes.length + batch.edges.length);
  const loaded = steps.load(touchedBy(batch));
  const plan = planInSlices(batch, loaded, progress);
  const counter = writeCounter(plan, progress);
  steps.apply(plan, loaded, counter.advance);
  const snapshotId = steps.totals(plan, loaded, changes(plan));
  counter.finished();
  return { nodes: plan.summary.nodes, edges: plan.summary.edges, snapshotId };
}

/** Steps 2–5 for an asynchronous store, inside the caller's transaction. `batch` is completed. */
export async function runWriteAsync<L extends Loaded>(
  batch: GraphBatch,
  steps: AsyncWriteSteps<L>, progress?: WriteProgress): Promise<WriteSummary> {
  progress?.('loading', 0, batch.nodes.length + batch.edges.length);
  const loaded = await steps.load(touchedBy(batch));
  const plan = planInSlices(batch, loaded, progress);
  const counter = writeCounter(plan, progress);
  await steps.apply(plan, loaded, counter.advance);
  const snapshotId = await steps.totals(plan, loaded, changes(plan));
  counter.finished();
  return { nodes: plan.summary.nodes, edges: plan.summary.edges, snapshotId };
}

/** Whether the plan changes the graph: then, and only then, the graph version moves. */
export function changes(plan: WritePlan): boolean {
  return plan.nodes.length + plan.edges.length > 0;
}

/**
 * Every record hash the plan replaces, for the totals: `before` undefined for a new record.
 * `kind` is the stored record's kind (a node's and an edge's kind never change).
 */
export function forEachHashChange(
  plan: WritePlan,
  loaded: Loaded,
  fn: (table: 'nodes' | 'edges', kind: string, before: string | undefined, after: string) => void,
): void {
  for (const n of plan.nodes) fn('nodes', n.kind, loaded.nodes.get(n.id)?.hash, n.hash);
  const edges = loaded.edges;
  for (const e of plan.edges) fn('edges', e.kind, edges.size === 0 ? undefined : edges.get(e.key)?.hash, e.hash);
}

/**
 * planWrite over slices of the batch, reporting after each: nodes and edges are planned
 * independently of one another, so the slices' plans together are the batch's plan.
 */
function planInSlices(batch: GraphBatch, loaded: Loaded, progress: WriteProgress | undefined): WritePlan {
  const total = batch.nodes.length + batch.edges.length;
  if (progress === undefined || total <= PLAN_SLICE) {
    progress?.('planning', 0, total);
    const plan = planWrite(batch, loaded.nodes, loaded.edges, loaded.storedKinds);
    progress?.('planning', total, total);
    return plan;
  }
  const plan: WritePlan = {
    nodes: [],
    edges: [],
    summary: { nodes: { added: 0, updated: 0, unchanged: 0 }, edges: { added: 0, updated: 0, unchanged: 0 } },
  };
  const add = (part: WritePlan) => {
    for (const n of part.nodes) plan.nodes.push(n);
    for (const e of part.edges) plan.edges.push(e);
    for (const t of ['nodes', 'edges'] as const) {
      plan.summary[t].added += part.summary[t].added;
      plan.summary[t].updated += part.summary[t].updated;
      plan.summary[t].unchanged += part.summary[t].unchanged;
    }
  };
  let done = 0;
  progress('planning', 0, total);
  for (let i = 0; i < batch.nodes.length; i += PLAN_SLICE) {
    const nodes = batch.nodes.slice(i, i + PLAN_SLICE);
    add(planWrite({ input: batch.input, nodes, edges: [] }, loaded.nodes, loaded.edges, loaded.storedKinds));
    progress('planning', (done += nodes.length), total);
  }
  for (let i = 0; i < batch.edges.length; i += PLAN_SLICE) {
    const edges = batch.edges.slice(i, i + PLAN_SLICE);
    add(planWrite({ input: batch.input, nodes: [], edges }, loaded.nodes, loaded.edges, loaded.storedKinds));
    progress('planning', (done += edges.length), total);
  }
  return plan;
}

/** Counts the plan's records as they are written, for `progress`. */
function writeCounter(plan: WritePlan, progress: WriteProgress | undefined) {
  const total = plan.nodes.length + plan.edges.length;
  let done = 0;
  progress?.('writing', 0, total);
  return {
    advance: ((records: number) => {
      done = Math.min(done + records, total);
      progress?.('writing', done, total);
    }) as Advance,
    finished() {
      if (done < total) progress?.('writing', total, total);
    },
  };
}
