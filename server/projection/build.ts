/**
 * Builds the propagation projection (projection.ts) from any store's streamed columns
 * (GraphStore.readProjection). Batches are appended to growable columns; `finish` numbers the nodes in
 * id order, maps the store's refs to numbers, and lays the steps out per leaving node.
 */
import { BlastError } from '../model/errors.js';
import { EDGE_KINDS, NODE_KINDS, PROPAGATION } from '../model/kinds.js';
import type { GraphStore } from '../store/graph-store.js';
import type { ProjectionEdgeBatch, ProjectionNodeBatch, ProjectionSink, ProjectionState } from '../store/projection-source.js';
import { Projection } from './projection.js';

const CREDENTIAL = NODE_KINDS.indexOf('Credential');
const PACKAGE_VERSION = NODE_KINDS.indexOf('PackageVersion');
/** Per EDGE_KINDS code: 1 when the compromise leaves the stored `from`, 2 the stored `to`, 0 never. */
const LEAVES = Uint8Array.from(EDGE_KINDS, (k) => (PROPAGATION[k] === 'forward' ? 1 : PROPAGATION[k] === 'reverse' ? 2 : 0));

/** A Float64Array (or Uint8Array) that grows by doubling. */
class Grow<T extends Float64Array | Uint8Array> {
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T) {
    this.data = make(1024);
  }
  append(from: T, count: number): void {
    if (this.length + count > this.data.length) {
      let cap = this.data.length;
      while (cap < this.length + count) cap *= 2;
      const next = this.make(cap);
      next.set(this.data.subarray(0, this.length) as never);
      this.data = next;
    }
    this.data.set(from.subarray(0, count) as never, this.length);
    this.length += count;
  }
}

const f64 = () => new Grow<Float64Array>((n) => new Float64Array(n));
const u8 = () => new Grow<Uint8Array>((n) => new Uint8Array(n));

export class ProjectionBuilder implements ProjectionSink {
  private readonly ids: string[] = [];
  private readonly names: string[] = [];
  private readonly nodeRef = f64();
  private readonly nodeKind = u8();
  private readonly nodeTimes = {
    firstIngestedAt: f64(),
    createdAt: f64(),
    rotatedAt: f64(),
    revokedAt: f64(),
    containedAt: f64(),
    publishedAt: f64(),
    seedStart: f64(),
  };
  private readonly edge = {
    ref: f64(),
    src: f64(),
    dst: f64(),
    kind: u8(),
    access: u8(),
    confidence: u8(),
    since: f64(),
    until: f64(),
    firstIngestedAt: f64(),
  };

  nodes(b: ProjectionNodeBatch): void {
    for (let i = 0; i < b.count; i++) {
      this.ids.push(b.id[i]!);
      this.names.push(b.name[i]!);
    }
    this.nodeRef.append(b.ref, b.count);
    this.nodeKind.append(b.kind, b.count);
    for (const k of Object.keys(this.nodeTimes) as Array<keyof typeof this.nodeTimes>) this.nodeTimes[k].append(b[k], b.count);
  }

  edges(b: ProjectionEdgeBatch): void {
    for (const k of Object.keys(this.edge) as Array<keyof typeof this.edge>) (this.edge[k] as Grow<Float64Array | Uint8Array>).append(b[k], b.count);
  }

  /** The projection of what was streamed, describing `state`. */
  finish(state: ProjectionState): Projection {
    const n = this.ids.length;
    // Number nodes in id order. Stores usually stream them in that order already (checked, not assumed).
    let order: Int32Array | null = null;
    for (let i = 1; i < n; i++) {
      if (!(this.ids[i - 1]! < this.ids[i]!)) {
        // The native sort of strings (code-unit order) is several times faster than a comparator
        // over indexes; each id's stream position is then found by one Map hit.
        const position = new Map<string, number>();
        this.ids.forEach((id, j) => position.set(id, j));
        const sorted = [...this.ids].sort();
        order = Int32Array.from(sorted, (id) => position.get(id)!);
        break;
      }
    }
    const at = (j: number) => (order === null ? j : order[j]!);
    for (let j = 1; j < n; j++) {
      if (this.ids[at(j - 1)] === this.ids[at(j)]) throw inconsistent(`node ${this.ids[at(j)]} was streamed twice`);
    }
    let idBytes = 0;
    let nameBytes = 0;
    for (let i = 0; i < n; i++) {
      idBytes += Buffer.byteLength(this.ids[i]!);
      nameBytes += Buffer.byteLength(this.names[i]!);
    }
    const e = this.edge;
    // Only edges that carry a compromise become steps.
    let steps = 0;
    for (let i = 0; i < e.kind.length; i++) if (LEAVES[e.kind.data[i]!] !== 0) steps++;
    const p = Projection.allocate({ ...state, nodes: n, steps, idBytes, nameBytes });
    const c = p.c;
    const encoder = new TextEncoder();
    const refs = new RefMap(this.nodeRef.data.subarray(0, n), n);
    const t = this.nodeTimes;
    let idAt = 0;
    let nameAt = 0;
    for (let number = 0; number < n; number++) {
      const i = at(number);
      refs.set(this.nodeRef.data[i]!, number);
      c.idStart[number] = idAt;
      idAt += encoder.encodeInto(this.ids[i]!, c.idBytes.subarray(idAt)).written;
      c.nameStart[number] = nameAt;
      nameAt += encoder.encodeInto(this.names[i]!, c.nameBytes.subarray(nameAt)).written;
      const kind = this.nodeKind.data[i]!;
      c.kind[number] = kind;
      c.ingestedAt[number] = t.firstIngestedAt.data[i]!;
      const credential = kind === CREDENTIAL;
      c.validFrom[number] = credential ? orElse(t.createdAt.data[i]!, -Infinity) : -Infinity;
      c.validUntil[number] = credential ? Math.min(orElse(t.rotatedAt.data[i]!, Infinity), orElse(t.revokedAt.data[i]!, Infinity)) : Infinity;
      c.containedAt[number] = orElse(t.containedAt.data[i]!, Infinity);
      c.publishedAt[number] = kind === PACKAGE_VERSION ? t.publishedAt.data[i]! : NaN;
      c.seedStart[number] = orElse(t.seedStart.data[i]!, -Infinity);
    }
    c.idStart[n] = idAt;
    c.nameStart[n] = nameAt;

    // Steps per leaving node (counting sort), in stream order within a node.
    const leaving = new Int32Array(e.kind.length);
    const far = new Int32Array(e.kind.length);
    for (let i = 0; i < e.kind.length; i++) {
      const dir = LEAVES[e.kind.data[i]!]!;
      if (dir === 0) continue;
      const src = refs.get(e.src.data[i]!);
      const dst = refs.get(e.dst.data[i]!);
      if (src < 0 || dst < 0) throw inconsistent('an edge points at a node that was not streamed');
      leaving[i] = dir === 1 ? src : dst;
      far[i] = dir === 1 ? dst : src;
      c.stepStart[leaving[i]! + 1]!++;
    }
    for (let u = 0; u < n; u++) c.stepStart[u + 1]! += c.stepStart[u]!;
    const fill = c.stepStart.slice(0, n);
    for (let i = 0; i < e.kind.length; i++) {
      if (LEAVES[e.kind.data[i]!] === 0) continue;
      const s = fill[leaving[i]!]!++;
      c.far[s] = far[i]!;
      c.stepKind[s] = e.kind.data[i]!;
      c.access[s] = e.access.data[i]!;
      c.confidence[s] = e.confidence.data[i]!;
      c.since[s] = orElse(e.since.data[i]!, -Infinity);
      c.until[s] = orElse(e.until.data[i]!, Infinity);
      c.stepIngestedAt[s] = e.firstIngestedAt.data[i]!;
      c.edgeRef[s] = e.ref.data[i]!;
    }
    return p;
  }
}

/**
 * Builds the projection of `store`'s current state. A source whose state moved while streaming
 * (another process wrote) reports it as inconsistent; this retries a few times.
 */
export async function buildProjection(store: GraphStore): Promise<Projection> {
  for (let attempt = 1; ; attempt++) {
    const builder = new ProjectionBuilder();
    try {
      const state = await store.readProjection(builder);
      return builder.finish(state);
    } catch (err) {
      if (!(err instanceof BlastError && err.code === 'CONFLICT') || attempt >= 5) throw err;
    }
  }
}

function orElse(v: number, fallback: number): number {
  return Number.isNaN(v) ? fallback : v;
}

function inconsistent(reason: string): BlastError {
  return new BlastError('CONFLICT', `the graph changed while its projection was read (${reason})`);
}

/** Store ref -> node number: a dense table when refs are small integers, else a Map. */
class RefMap {
  private readonly table: Int32Array | null;
  private readonly map: Map<number, number> | null;
  constructor(refs: Float64Array, n: number) {
    let max = -1;
    let dense = true;
    for (let i = 0; i < refs.length; i++) {
      const r = refs[i]!;
      if (!Number.isInteger(r) || r < 0) dense = false;
      else if (r > max) max = r;
    }
    dense &&= max < 4 * n + 1_000_000;
    this.table = dense ? new Int32Array(max + 1).fill(-1) : null;
    this.map = dense ? null : new Map();
  }
  set(ref: number, number: number): void {
    if (this.table) this.table[ref] = number;
    else this.map!.set(ref, number);
  }
  get(ref: number): number {
    if (this.table) return ref >= 0 && ref < this.table.length && Number.isInteger(ref) ? this.table[ref]! : -1;
    return this.map!.get(ref) ?? -1;
  }
}
