/**
 * The propagation projection: the part of the graph a blast radius reads, in typed-array columns.
 * This module alone knows the layout; everyone else calls its methods.
 *
 * Nodes are numbered 0..nodeCount-1 in JavaScript string order of their ids, so a node's number is
 * also its rank for every id tie-break, and an id is found by binary search. Per node:
 *   idBytes/idStart      UTF-8 ids, node n at idBytes[idStart[n] .. idStart[n+1])
 *   nameBytes/nameStart  display names, the same way
 *   kind                 NODE_KINDS position
 *   ingestedAt           firstIngestedAt (asOf hides later nodes)
 *   validFrom            Credential createdAt, else -Infinity
 *   validUntil           Credential min(rotatedAt, revokedAt), else +Infinity
 *   containedAt          props.containedAt, else +Infinity
 *   publishedAt          PackageVersion publishedAt, else NaN
 *   seedStart            a seed's own start (compromisedAt, else publishedAt), -Infinity when unknown
 * Steps (compressed sparse rows, in the compromise's direction: forward kinds leave their stored
 * `from`, reverse kinds their stored `to`): the steps leaving n are stepStart[n] .. stepStart[n+1]-1.
 *   far                  the node reached
 *   kind                 EDGE_KINDS position
 *   access, confidence   ACCESS_LEVELS / CONFIDENCES position + 1, 0 = absent
 *   since, until         epoch ms, -Infinity / +Infinity when absent
 *   stepIngestedAt       the edge's firstIngestedAt
 *   edgeRef              the store's identity of the edge (GraphStore.edgeSources), valid at `version`
 *
 * Every column lives in one SharedArrayBuffer, so worker threads read the same memory without a copy
 * (`buffers()` / `fromBuffers()`), and the embedded store's file on disk is that buffer (persist.ts).
 */
import { EDGE_KINDS, NODE_KINDS, type EdgeKind, type NodeKind } from '../model/kinds.js';

/** Column names, types and lengths ('n' = per node, 'n1' = per node + 1, 'e' = per step, 'b'/'c' = bytes). */
const COLUMNS = [
  ['ingestedAt', Float64Array, 'n'],
  ['validFrom', Float64Array, 'n'],
  ['validUntil', Float64Array, 'n'],
  ['containedAt', Float64Array, 'n'],
  ['publishedAt', Float64Array, 'n'],
  ['seedStart', Float64Array, 'n'],
  ['since', Float64Array, 'e'],
  ['until', Float64Array, 'e'],
  ['stepIngestedAt', Float64Array, 'e'],
  ['edgeRef', Float64Array, 'e'],
  ['idStart', Int32Array, 'n1'],
  ['nameStart', Int32Array, 'n1'],
  ['stepStart', Int32Array, 'n1'],
  ['far', Int32Array, 'e'],
  ['kind', Uint8Array, 'n'],
  ['stepKind', Uint8Array, 'e'],
  ['access', Uint8Array, 'e'],
  ['confidence', Uint8Array, 'e'],
  ['idBytes', Uint8Array, 'b'],
  ['nameBytes', Uint8Array, 'c'],
] as const;

type ColumnName = (typeof COLUMNS)[number][0];
type ColumnOf<N extends ColumnName> = InstanceType<Extract<(typeof COLUMNS)[number], readonly [N, unknown, unknown]>[1]>;
export type ProjectionColumns = { [N in ColumnName]: ColumnOf<N> };

/** Sizes that fix the layout of the buffer. */
export interface ProjectionShape {
  nodes: number;
  steps: number;
  idBytes: number;
  nameBytes: number;
}

/** The description a projection carries (and its file header repeats). */
export interface ProjectionMeta extends ProjectionShape {
  /** GraphStore.graphVersion() of the state it was built from. */
  version: string;
  snapshotId: string;
}

const decoder = new TextDecoder();

export class Projection {
  readonly nodeCount: number;
  readonly stepCount: number;
  private readonly idCache: Array<string | undefined>;

  private constructor(
    readonly meta: ProjectionMeta,
    readonly buffer: SharedArrayBuffer | ArrayBuffer,
    readonly c: ProjectionColumns,
  ) {
    this.nodeCount = meta.nodes;
    this.stepCount = meta.steps;
    this.idCache = new Array<string | undefined>(meta.nodes);
  }

  get version(): string {
    return this.meta.version;
  }

  get snapshotId(): string {
    return this.meta.snapshotId;
  }

  /** A zeroed projection of the given shape in one shared buffer, for the builder to fill. */
  static allocate(meta: ProjectionMeta): Projection {
    const { size } = layout(meta);
    return Projection.fromBuffer(meta, new SharedArrayBuffer(size));
  }

  /** Views over a buffer of `byteLength(meta)` bytes laid out as `allocate` lays it out. */
  static fromBuffer(meta: ProjectionMeta, buffer: SharedArrayBuffer | ArrayBuffer, byteOffset = 0): Projection {
    const { offsets, size } = layout(meta);
    if (buffer.byteLength - byteOffset < size) throw new Error(`projection buffer holds ${buffer.byteLength - byteOffset} bytes, ${size} expected`);
    const c = {} as Record<ColumnName, ArrayBufferView>;
    COLUMNS.forEach(([name, Type, per], i) => {
      c[name] = new Type(buffer as ArrayBuffer, byteOffset + offsets[i]!, lengthOf(per, meta));
    });
    return new Projection(meta, buffer, c as ProjectionColumns);
  }

  /** Bytes the columns take for a shape. */
  static byteLength(shape: ProjectionShape): number {
    return layout(shape).size;
  }

  id(n: number): string {
    let id = this.idCache[n];
    if (id === undefined) {
      id = decoder.decode(this.c.idBytes.subarray(this.c.idStart[n]!, this.c.idStart[n + 1]!));
      this.idCache[n] = id;
    }
    return id;
  }

  name(n: number): string {
    return decoder.decode(this.c.nameBytes.subarray(this.c.nameStart[n]!, this.c.nameStart[n + 1]!));
  }

  nodeKind(n: number): NodeKind {
    return NODE_KINDS[this.c.kind[n]!]!;
  }

  stepEdgeKind(s: number): EdgeKind {
    return EDGE_KINDS[this.c.stepKind[s]!]!;
  }

  /** The node's number, or -1 when there is no such node. Binary search over ids in string order. */
  numberOf(id: string): number {
    let lo = 0;
    let hi = this.nodeCount - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.id(mid);
      if (m === id) return mid;
      if (m < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}

function lengthOf(per: 'n' | 'n1' | 'e' | 'b' | 'c', shape: ProjectionShape): number {
  switch (per) {
    case 'n':
      return shape.nodes;
    case 'n1':
      return shape.nodes + 1;
    case 'e':
      return shape.steps;
    case 'b':
      return shape.idBytes;
    case 'c':
      return shape.nameBytes;
  }
}

/** Each column's byte offset (8-byte aligned, widest types first) and the total size. */
function layout(shape: ProjectionShape): { offsets: number[]; size: number } {
  const offsets: number[] = [];
  let at = 0;
  for (const [, Type, per] of COLUMNS) {
    at = Math.ceil(at / 8) * 8;
    offsets.push(at);
    at += lengthOf(per, shape) * Type.BYTES_PER_ELEMENT;
  }
  return { offsets, size: Math.ceil(at / 8) * 8 };
}
