/**
 * What a store hands the propagation projection (server/projection/): every node and every edge a
 * compromise can cross, streamed in batches of columns, never one object per record. The store sends
 * raw facts (times as epoch ms, codes from the closed lists in model/kinds.ts); what they mean for a
 * compromise is decided by the projection and the engine, once, for every store.
 *
 * Nodes and edges are named by the store's own numeric identities (`ref`: the embedded store's rowid,
 * Neo4j's internal id); an edge's `src`/`dst` are node refs, its own `ref` finds its sources later
 * (GraphStore.edgeSources). Refs are only meaningful for the graph version they were read at.
 */
import { ACCESS_LEVELS, CONFIDENCES, EDGE_KINDS, NODE_KINDS } from '../model/kinds.js';
import { parseTime } from '../model/time.js';
import type { Json } from '../model/types.js';

/** Nodes: every column has `count` entries. Times: epoch ms, NaN = absent. */
export interface ProjectionNodeBatch {
  count: number;
  ref: Float64Array;
  id: string[];
  name: string[];
  /** NODE_KINDS position. */
  kind: Uint8Array;
  firstIngestedAt: Float64Array;
  /** props.createdAt, rotatedAt, revokedAt, containedAt, publishedAt (Date.parse of a string). */
  createdAt: Float64Array;
  rotatedAt: Float64Array;
  revokedAt: Float64Array;
  containedAt: Float64Array;
  publishedAt: Float64Array;
  /** A seed's own start: props.compromisedAt, else props.publishedAt, as ISO-8601 times with a zone. */
  seedStart: Float64Array;
}

/** Edges of the propagating kinds (model/kinds.ts PROPAGATION not null), in their stored direction. */
export interface ProjectionEdgeBatch {
  count: number;
  ref: Float64Array;
  src: Float64Array;
  dst: Float64Array;
  /** EDGE_KINDS position. */
  kind: Uint8Array;
  /** ACCESS_LEVELS / CONFIDENCES position + 1; 0 = absent. */
  access: Uint8Array;
  confidence: Uint8Array;
  /** Epoch ms; NaN = absent. */
  since: Float64Array;
  until: Float64Array;
  firstIngestedAt: Float64Array;
}

export interface ProjectionSink {
  nodes(batch: ProjectionNodeBatch): void;
  edges(batch: ProjectionEdgeBatch): void;
}

/** What the streamed columns describe: one committed state of the graph. */
export interface ProjectionState {
  /** GraphStore.graphVersion() of that state. */
  version: string;
  /** GraphStore.snapshotId() of that state. */
  snapshotId: string;
}

export const NODE_CODE = new Map<string, number>(NODE_KINDS.map((k, i) => [k, i]));
export const EDGE_CODE = new Map<string, number>(EDGE_KINDS.map((k, i) => [k, i]));
export const ACCESS_CODE = new Map<string, number>(ACCESS_LEVELS.map((a, i) => [a, i + 1]));
export const CONFIDENCE_CODE = new Map<string, number>(CONFIDENCES.map((c, i) => [c, i + 1]));

export function nodeBatch(count: number): ProjectionNodeBatch {
  const times = () => new Float64Array(count).fill(NaN);
  return {
    count,
    ref: new Float64Array(count),
    id: new Array<string>(count),
    name: new Array<string>(count),
    kind: new Uint8Array(count),
    firstIngestedAt: times(),
    createdAt: times(),
    rotatedAt: times(),
    revokedAt: times(),
    containedAt: times(),
    publishedAt: times(),
    seedStart: times(),
  };
}

export function edgeBatch(count: number): ProjectionEdgeBatch {
  return {
    count,
    ref: new Float64Array(count),
    src: new Float64Array(count),
    dst: new Float64Array(count),
    kind: new Uint8Array(count),
    access: new Uint8Array(count),
    confidence: new Uint8Array(count),
    since: new Float64Array(count).fill(NaN),
    until: new Float64Array(count).fill(NaN),
    firstIngestedAt: new Float64Array(count).fill(NaN),
  };
}

/** Epoch ms of a stored time text (Date.parse, as the engine always read them); NaN when absent. */
export function timeMs(value: Json | undefined | null): number {
  return typeof value === 'string' ? Date.parse(value) : NaN;
}

/** Fills node i's time columns from its props (parsed JSON or the raw values of the six fields). */
export function setNodeTimes(b: ProjectionNodeBatch, i: number, p: { [key: string]: Json | undefined }): void {
  b.createdAt[i] = timeMs(p.createdAt);
  b.rotatedAt[i] = timeMs(p.rotatedAt);
  b.revokedAt[i] = timeMs(p.revokedAt);
  b.containedAt[i] = timeMs(p.containedAt);
  b.publishedAt[i] = timeMs(p.publishedAt);
  b.seedStart[i] = parseTime(p.compromisedAt) ?? parseTime(p.publishedAt) ?? NaN;
}
