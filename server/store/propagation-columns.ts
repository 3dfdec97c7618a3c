/**
 * The columnar form of GraphStore.propagation() that the engine reads: the same steps in the same
 * order, but one typed array per field instead of one edge record per step, and every node once.
 * A blast radius over a million-node graph crosses millions of steps; building an edge record (and
 * its key string) per step cost more than the whole search. Edge records are rebuilt only for the
 * few edges a result shows (edgeKeyOf, below).
 */
import { ACCESS_LEVELS, CONFIDENCES, EDGE_KINDS, PROPAGATION, type Access, type EdgeKind } from '../model/kinds.js';
import { edgeKey, type StoredNode } from '../model/record.js';
import type { Source } from '../model/types.js';
import type { PropagationStep } from './graph-store.js';

export interface PropagationColumns {
  /** Number of steps; every column below has this length. */
  count: number;
  /** The far nodes, each once; shared records, never mutate them. */
  nodes: readonly StoredNode[];
  /** Position in the asked `ids` (the first, if repeated) of the node the compromise leaves. */
  from: Int32Array;
  /** Index into `nodes` of the far node. */
  to: Int32Array;
  /** Position of the edge's kind in EDGE_KINDS. */
  kind: Uint8Array;
  /** Position in ACCESS_LEVELS plus one; 0 = absent. */
  access: Uint8Array;
  /** Position in CONFIDENCES plus one; 0 = absent. */
  confidence: Uint8Array;
  /** Epoch ms; NaN = absent. */
  since: Float64Array;
  until: Float64Array;
  firstIngestedAt: Float64Array;
  /** The edge's sources; shared, never mutate them. */
  sources: ReadonlyArray<readonly Source[]>;
  /**
   * Optional: the store's own node numbers (0 ≤ n < size), the same in every answer that carries the
   * same `numbering` object: `of` for each of `nodes` (parallel to it), `asked` for each asked id (-1
   * when the store has no such node). Lets the engine find a node it has seen without an id lookup;
   * a new `numbering` (the data changed) means the numbers start afresh. `idOrder`: numbers ascend
   * with ids in JavaScript string order, so the engine's id tie-breaks can compare numbers.
   */
  numbers?: PropagationNumbers;
}

/** Numbers the engine already holds for the ids it asks about (GraphStore.propagationColumns). */
export interface KnownNumbers {
  numbering: object;
  numbers: Int32Array;
}

export interface PropagationNumbers {
  numbering: object;
  size: number;
  of: Int32Array;
  asked: Int32Array;
  idOrder: boolean;
}

/** The columns' codes: EDGE_KINDS position; ACCESS_LEVELS / CONFIDENCES position + 1 (0 = absent). */
export const EDGE_CODE = new Map<string, number>(EDGE_KINDS.map((k, i) => [k, i]));
export const ACCESS_CODE = new Map<string, number>(ACCESS_LEVELS.map((a, i) => [a, i + 1]));
export const CONFIDENCE_CODE = new Map<string, number>(CONFIDENCES.map((c, i) => [c, i + 1]));

/** Columns of an empty answer (or of `count` steps, to be filled in). */
export function emptyColumns(count: number, nodes: StoredNode[] = []): PropagationColumns & { sources: Array<readonly Source[]> } {
  return {
    count,
    nodes,
    from: new Int32Array(count),
    to: new Int32Array(count),
    kind: new Uint8Array(count),
    access: new Uint8Array(count),
    confidence: new Uint8Array(count),
    since: new Float64Array(count),
    until: new Float64Array(count),
    firstIngestedAt: new Float64Array(count),
    sources: new Array<readonly Source[]>(count),
  };
}

/** The columnar form of propagation(ids) records (for stores that build records anyway). */
export function columnsFromSteps(ids: readonly string[], steps: readonly PropagationStep[]): PropagationColumns {
  const nodes: StoredNode[] = [];
  const index = new Map<string, number>();
  const asked = askedIndex(ids);
  const c = emptyColumns(steps.length, nodes);
  steps.forEach((s, i) => {
    const e = s.edge;
    let to = index.get(s.to.id);
    if (to === undefined) {
      to = nodes.length;
      index.set(s.to.id, to);
      nodes.push(s.to);
    }
    c.from[i] = asked.get(s.from)!;
    c.to[i] = to;
    c.kind[i] = EDGE_CODE.get(e.kind)!;
    c.access[i] = e.access === undefined ? 0 : ACCESS_CODE.get(e.access)!;
    c.confidence[i] = e.confidence === undefined ? 0 : CONFIDENCE_CODE.get(e.confidence)!;
    c.since[i] = e.since === undefined ? NaN : Date.parse(e.since);
    c.until[i] = e.until === undefined ? NaN : Date.parse(e.until);
    c.firstIngestedAt[i] = Date.parse(e.firstIngestedAt);
    c.sources[i] = e.sources;
  });
  return c;
}

/** Each asked id's position in `ids` (its first one). */
export function askedIndex(ids: readonly string[]): Map<string, number> {
  const asked = new Map<string, number>();
  ids.forEach((id, i) => {
    if (!asked.has(id)) asked.set(id, i);
  });
  return asked;
}

/**
 * The stored key (model/record.ts edgeKey) of a step from u to v, in the compromise's direction, of
 * the given EDGE_KINDS and access codes.
 */
export function stepEdgeKey(u: string, kindCode: number, v: string, accessCode: number): string {
  const kind = EDGE_KINDS[kindCode] as EdgeKind;
  const access = accessCode === 0 ? undefined : (ACCESS_LEVELS[accessCode - 1] as Access);
  return PROPAGATION[kind] === 'reverse' ? edgeKey({ from: v, kind, to: u, access }) : edgeKey({ from: u, kind, to: v, access });
}
