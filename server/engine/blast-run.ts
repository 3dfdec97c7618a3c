/**
 * A blast radius in compact form: the search's labels over the projection, from which every part of
 * the contract answer is produced on demand and in bounded pieces. Memory stays linear in the nodes
 * reached (a path is a chain of predecessor links), so a radius whose printed paths would be
 * quadratic (a 20,000-package chain) costs nothing until someone asks to print them, and the callers
 * can refuse before building (`pathHopTotal`).
 */
import { BlastError } from '../model/errors.js';
import { CONFIDENCE_RANK, CONFIDENCES, EDGE_KINDS, NODE_KINDS, type Confidence, type NodeKind } from '../model/kinds.js';
import { formatTime } from '../model/time.js';
import type { Source } from '../model/types.js';
import type { Projection } from '../projection/projection.js';
import type { GraphStore } from '../store/graph-store.js';
import type { NormalisedOptions } from './blast-options.js';
import type { AffectedCustomer, AffectedNode, BlastRadius, BlastSeed, CustomerReason, PathHop } from './blast-result.js';
import { byArrivalThenNumber } from './arrival-order.js';
import type { TableInput } from './format-table.js';
import { StepFilter, type SearchQuery, type SearchResult } from './search.js';
import { giveWay } from './give-way.js';
import { NODE, stepEdgeKey } from './step-rules.js';

/** One hop of a path before it is printed: node numbers and the projection's step. */
export interface HopRef {
  from: number;
  step: number;
  to: number;
  arrival: number;
}

/** An affected node without its path: what tables, counts and pages show. */
export type AffectedSummary = Omit<AffectedNode, 'path'>;

interface ReasonRef {
  via: number;
  arrival: number;
  hops: number;
  step: number;
}

const CUSTOMER = NODE.Customer;
/** Affected nodes materialised per store call for sources. */
const CHUNK = 2_000;
/** Customers per store call: each carries a path per reason (a customer reached through a hundred services, a hundred). */
const CUSTOMER_CHUNK = 100;

export class BlastRun {
  readonly snapshotId: string;
  /** Reached nodes but the seeds, in the answer's order (firstExposedAt, nulls first, then id). */
  readonly affectedOrder: Int32Array;
  private readonly isSeed: Uint8Array;
  private readonly times = new Map<number, string>();
  private customerList: Array<{ node: number; reasons: ReasonRef[] }> | null = null;
  private byKind: Map<NodeKind, Int32Array> | null = null;
  private positionByNode: Int32Array | null = null;
  private allPositions: Int32Array | null = null;

  constructor(
    readonly projection: Projection,
    readonly query: SearchQuery,
    readonly result: SearchResult,
    readonly seeds: BlastSeed[],
    readonly options: NormalisedOptions,
  ) {
    this.snapshotId = projection.snapshotId;
    this.isSeed = new Uint8Array(projection.nodeCount);
    for (const s of query.seeds) this.isSeed[s.node] = 1;
    // Ascending node numbers (= id order), then grouped stably by arrival.
    const reached: number[] = [];
    const { reached: flags } = result;
    for (let v = 0; v < flags.length; v++) if (flags[v] === 1 && this.isSeed[v] === 0) reached.push(v);
    this.affectedOrder = byArrivalThenNumber(Int32Array.from(reached), (v) => result.arrival[v]!);
  }

  get affectedCount(): number {
    return this.affectedOrder.length;
  }

  /** Affected nodes per kind (customers included), kinds in NODE_KINDS order, absent when none. */
  countsByKind(): Array<{ kind: NodeKind; count: number }> {
    return [...this.kindIndex()].map(([kind, list]) => ({ kind, count: list.length }));
  }

  /** Positions in `affectedOrder` of the affected nodes of one kind (all when undefined). */
  positions(kind?: NodeKind): Int32Array {
    // Made once: materialise() and json() slice it per chunk of a radius of any size.
    if (kind === undefined) return (this.allPositions ??= Int32Array.from({ length: this.affectedOrder.length }, (_, i) => i));
    return this.kindIndex().get(kind) ?? new Int32Array(0);
  }

  private kindIndex(): Map<NodeKind, Int32Array> {
    if (!this.byKind) {
      const lists = NODE_KINDS.map(() => [] as number[]);
      this.affectedOrder.forEach((v, i) => lists[this.projection.c.kind[v]!]!.push(i));
      this.byKind = new Map();
      NODE_KINDS.forEach((k, i) => {
        if (lists[i]!.length > 0) this.byKind!.set(k, Int32Array.from(lists[i]!));
      });
    }
    return this.byKind;
  }

  /** The affected node at position i of the answer, without its path. */
  summary(i: number): AffectedSummary {
    const v = this.affectedOrder[i]!;
    const p = this.projection;
    return {
      id: p.id(v),
      kind: p.nodeKind(v),
      name: p.name(v),
      firstExposedAt: this.time(this.result.arrival[v]!),
      hops: this.result.hops[v]!,
      confidence: confidenceOf(this.result.rank[v]!),
    };
  }

  /** The node the compromise came from (the last hop's `from`), or null for none. */
  cameFrom(i: number): string | null {
    const v = this.affectedOrder[i]!;
    const pv = this.result.prev[v]!;
    return pv < 0 ? null : this.projection.id(pv);
  }

  /** Position of a node id in the answer, or -1 when it is not affected. */
  positionOf(id: string): number {
    const v = this.projection.numberOf(id);
    if (v < 0 || this.result.reached[v] !== 1 || this.isSeed[v] === 1) return -1;
    if (!this.positionByNode) {
      this.positionByNode = new Int32Array(this.projection.nodeCount).fill(-1);
      this.affectedOrder.forEach((node, i) => (this.positionByNode![node] = i));
    }
    return this.positionByNode[v]!;
  }

  /** A reached customer (a customerRefs entry) without its reasons' paths. */
  customerSummary(entry: { node: number; reasons: ReasonRef[] }): { id: string; name: string; firstExposedAt: string | null; vias: string[] } {
    const p = this.projection;
    return { id: p.id(entry.node), name: p.name(entry.node), firstExposedAt: this.time(this.result.arrival[entry.node]!), vias: entry.reasons.map((r) => p.id(r.via)) };
  }

  /** The chosen path to reached node v, hop by hop from a seed. */
  pathRefs(v: number): HopRef[] {
    const r = this.result;
    const c = this.projection.c;
    const out: HopRef[] = [];
    for (let x = v; r.step1[x]! >= 0; ) {
      const b = r.base[x]!;
      const from1 = b >= 0 ? b : r.prev[x]!;
      const s2 = r.step2[x]!;
      if (s2 >= 0) {
        out.push({ from: r.prev[x]!, step: s2, to: x, arrival: r.arrival[x]! });
        out.push({ from: from1, step: r.step1[x]!, to: c.far[r.step1[x]!]!, arrival: r.arrival1[x]! });
      } else {
        out.push({ from: from1, step: r.step1[x]!, to: x, arrival: r.arrival1[x]! });
      }
      if (b < 0) break;
      x = b;
    }
    return out.reverse();
  }

  /**
   * Every reached customer (not a seed) in the answer's order, with every distinct reason: each
   * reached Dataset it BELONGS_TO and each reached Service it USES, where that last hop can itself be
   * crossed (time, filters, hop limit). Reasons by (arrival, hops, via id, edge key).
   */
  customerRefs(): Array<{ node: number; reasons: ReasonRef[] }> {
    if (this.customerList) return this.customerList;
    const p = this.projection;
    const c = p.c;
    const r = this.result;
    const filter = new StepFilter(p, this.query);
    const maxHops = this.options.maxHops;
    const reasons = new Map<number, ReasonRef[]>();
    for (let u = 0; u < p.nodeCount; u++) {
      if (r.reached[u] !== 1) continue;
      const h = r.hops[u]! + 1;
      if (maxHops !== null && h > maxHops) continue;
      for (let s = c.stepStart[u]!, end = c.stepStart[u + 1]!; s < end; s++) {
        const target = c.far[s]!;
        if (c.kind[target] !== CUSTOMER || r.reached[target] !== 1 || this.isSeed[target] === 1) continue;
        if (!filter.usable(u, s)) continue;
        const t = r.arrival[u]!;
        const arrival = t > filter.lower ? t : filter.lower;
        if (arrival > filter.upper) continue;
        let list = reasons.get(target);
        if (!list) reasons.set(target, (list = []));
        list.push({ via: u, arrival, hops: h, step: s });
      }
    }
    const keyOf = (x: ReasonRef) => stepEdgeKey(p.id(x.via), c.stepKind[x.step]!, p.id(c.far[x.step]!), c.access[x.step]!);
    const out: Array<{ node: number; reasons: ReasonRef[] }> = [];
    for (const v of this.affectedOrder) {
      if (c.kind[v] !== CUSTOMER) continue;
      const list = reasons.get(v) ?? [];
      // Cannot happen: a customer's own label is one of its reasons.
      if (list.length === 0) throw new BlastError('INTERNAL', 'a reached customer has no reason');
      list.sort((x, y) => (x.arrival !== y.arrival ? (x.arrival < y.arrival ? -1 : 1) : x.hops - y.hops || x.via - y.via || cmp(keyOf(x), keyOf(y))));
      out.push({ node: v, reasons: list });
    }
    this.customerList = out;
    return out;
  }

  /** How many path hops printing every path (affected and customer reasons) would print. */
  pathHopTotal(): number {
    let total = 0;
    for (const v of this.affectedOrder) total += this.result.hops[v]!;
    for (const c of this.customerRefs()) for (const reason of c.reasons) total += reason.hops;
    return total;
  }

  /** Hop records with their sources (one store call for all the hops given). */
  async printHops(store: GraphStore, paths: HopRef[][]): Promise<PathHop[][]> {
    const c = this.projection.c;
    const refs: number[] = [];
    for (const path of paths) for (const h of path) refs.push(c.edgeRef[h.step]!);
    const sources = refs.length === 0 ? [] : await store.edgeSources(refs);
    let k = 0;
    return paths.map((path) =>
      path.map((h) => {
        const s = sources[k++];
        if (!s) throw new BlastError('CONFLICT', 'the graph changed while the answer was being written; run it again');
        return {
          from: this.projection.id(h.from),
          edge: EDGE_KINDS[c.stepKind[h.step]!]!,
          to: this.projection.id(h.to),
          arrival: this.time(h.arrival),
          sources: s as Source[],
        };
      }),
    );
  }

  /** The affected nodes at the given positions, with their paths. */
  async affectedAt(store: GraphStore, positions: ArrayLike<number>): Promise<AffectedNode[]> {
    const list = Array.from(positions);
    const paths = await this.printHops(
      store,
      list.map((i) => this.pathRefs(this.affectedOrder[i]!)),
    );
    return list.map((i, j) => ({ ...this.summary(i), path: paths[j]! }));
  }

  /** The given reached customers (customerRefs entries) with their reasons' paths. */
  async customersAt(store: GraphStore, entries: ReadonlyArray<{ node: number; reasons: ReasonRef[] }>): Promise<AffectedCustomer[]> {
    const paths: HopRef[][] = [];
    const c = this.projection.c;
    for (const e of entries) {
      for (const reason of e.reasons) {
        paths.push([...this.pathRefs(reason.via), { from: reason.via, step: reason.step, to: c.far[reason.step]!, arrival: reason.arrival }]);
      }
    }
    const printed = await this.printHops(store, paths);
    let k = 0;
    const p = this.projection;
    return entries.map((e) => {
      const reasons: CustomerReason[] = e.reasons.map((reason) => ({ via: p.id(reason.via), path: printed[k++]! }));
      return { id: p.id(e.node), name: p.name(e.node), firstExposedAt: this.time(this.result.arrival[e.node]!), reasons };
    });
  }

  /** What `blast radius --format table` prints (format-table.ts): no sources, paths reduced to their last hop. */
  tableInput(): TableInput {
    const affected = Array.from(this.affectedOrder, (_, i) => {
      const from = this.cameFrom(i);
      return { ...this.summary(i), path: from === null ? [] : [{ from }] };
    });
    const p = this.projection;
    const customers = this.customerRefs().map((e) => ({
      id: p.id(e.node),
      name: p.name(e.node),
      firstExposedAt: this.time(this.result.arrival[e.node]!),
      reasons: e.reasons.map((r) => ({ via: p.id(r.via) })),
    }));
    return { snapshotId: this.snapshotId, seeds: this.seeds, options: this.options, affected, customers };
  }

  /** The whole contract answer (ARCHITECTURE.md): every affected node and customer with paths. */
  async materialise(store: GraphStore): Promise<BlastRadius> {
    const breathe = giveWay();
    const affected: AffectedNode[] = [];
    for (let i = 0; i < this.affectedCount; i += CHUNK) {
      await breathe();
      affected.push(...(await this.affectedAt(store, this.positions().subarray(i, i + CHUNK))));
    }
    const customers: AffectedCustomer[] = [];
    const refs = this.customerRefs();
    for (let i = 0; i < refs.length; i += CUSTOMER_CHUNK) {
      await breathe();
      customers.push(...(await this.customersAt(store, refs.slice(i, i + CUSTOMER_CHUNK))));
    }
    return { snapshotId: this.snapshotId, seeds: this.seeds, options: this.options, affected, customers };
  }

  /**
   * The same text as `JSON.stringify(await materialise(store), null, 2)`, in pieces: a few thousand
   * nodes at a time, so memory stays bounded however large the answer.
   */
  async *json(store: GraphStore): AsyncGenerator<string> {
    const head = JSON.stringify({ snapshotId: this.snapshotId, seeds: this.seeds, options: this.options }, null, 2);
    yield `${head.slice(0, -2)},\n  "affected": `;
    yield* list(this.affectedCount, (i, n) => this.affectedAt(store, this.positions().subarray(i, i + n)));
    yield ',\n  "customers": ';
    const refs = this.customerRefs();
    yield* list(refs.length, (i, n) => this.customersAt(store, refs.slice(i, i + n)), CUSTOMER_CHUNK);
    yield '\n}';
  }

  private time(ms: number): string | null {
    if (ms === -Infinity) return null;
    let t = this.times.get(ms);
    if (t === undefined) {
      t = formatTime(ms);
      this.times.set(ms, t);
    }
    return t;
  }
}

/** A JSON array at depth 1 of a 2-space-indented document, its elements made a chunk at a time. */
async function* list(count: number, make: (start: number, n: number) => Promise<unknown[]>, chunk = CHUNK): AsyncGenerator<string> {
  if (count === 0) {
    yield '[]';
    return;
  }
  yield '[\n';
  const breathe = giveWay();
  for (let i = 0; i < count; i += chunk) {
    await breathe();
    const items = await make(i, Math.min(chunk, count - i));
    const text = items.map((item) => `    ${JSON.stringify(item, null, 2).replaceAll('\n', '\n    ')}`).join(',\n');
    yield i === 0 ? text : `,\n${text}`;
  }
  yield '\n  ]';
}

export function confidenceOf(rank: number): Confidence {
  return CONFIDENCES.find((c) => CONFIDENCE_RANK[c] === rank) ?? 'confirmed';
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
