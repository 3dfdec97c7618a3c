/**
 * The label-setting search of a blast radius, straight on the propagation projection (no copy of a
 * region, no store call): pure and synchronous, so it runs in this thread or in a worker on the same
 * shared memory. It returns each reached node's chosen label as columns; paths are predecessor links
 * (a label names its base node and the one or two steps after it), materialised only when printed.
 *
 * Labels are ordered by the key (arrival, hops, previous id), arrival null = -infinity, with the
 * crossed edge's key (then the node id) as a last, purely technical tie-break so that even parallel
 * edges give one answer. The chosen label is defined recursively:
 *
 *     label(seed) = (seed start, 0, '')
 *     label(v)    = min( label(v) if v is a seed, min over in-steps u->v of extend(label(u)) )
 *     extend((t, h, _)) over u->v = (max(t, e.since, v.validFrom), h + 1, u)
 *                                   if that arrival <= min(e.until, u.containedAt, u.validUntil, v.validUntil)
 *
 * extend is strictly increasing (arrival never decreases and hops grow by one), so every label
 * extended from u is greater than label(u). Hence when the queue yields a node its label is final:
 * any in-neighbour that could still improve it would have a smaller label and would have been
 * popped, and extended, first. The recursive definition has exactly one solution and Dijkstra (with
 * a bucket queue by (arrival, hops), arrival-queue.ts) computes it. A node's path is its
 * predecessor's path plus one hop, so paths are consistent.
 *
 * The publish rule is a two-hop step Credential c -> Package P -> PackageVersion V taken when c is
 * final: P's arrival via c is t' = max(t, grant.since) (within the grant's bounds), and every version
 * with t' <= V.publishedAt <= min(grant.until, c.containedAt, c.validUntil, P.containedAt) is offered
 * the label (V.publishedAt, hops(c) + 2, P) with path c -> P -> V. It is computed per credential, so a
 * version is reached when any credential's window covers it.
 *
 * Filters are applied per step as it is read: the step rules, edge kinds, minimum confidence, asOf
 * (edges and far nodes first ingested later are ignored), the hop limit and the time windows.
 * Cost: O(N + E) plus the queue's small heap over distinct instants; memory linear in the nodes.
 */
import { BlastError } from '../model/errors.js';
import { CONFIDENCE_RANK } from '../model/kinds.js';
import type { Projection } from '../projection/projection.js';
import { ArrivalQueue } from './arrival-queue.js';
import { EDGE, NODE, RANK_OF_CODE, crosses, stepEdgeKey } from './step-rules.js';

/** What the search needs of the options, as plain data (it crosses to workers). */
export interface SearchQuery {
  /** Seed node numbers and their starts (epoch ms; -Infinity = unknown). Visible seeds only. */
  seeds: Array<{ node: number; at: number }>;
  /** EDGE_KINDS codes the walk may cross. */
  edgeKinds: number[];
  /** Weakest CONFIDENCE_RANK crossed. */
  minRank: number;
  /** Epoch ms, or null for everything stored. */
  asOf: number | null;
  maxHops: number | null;
  /** Extra containment: [node number, epoch ms]. */
  contained: Array<[number, number]>;
}

/** Each node's chosen label (meaningful where `reached` is 1), and the nodes in finalisation order. */
export interface SearchResult {
  /** Reached nodes in the order their labels became final (a base before what extends it). */
  order: Int32Array;
  reached: Uint8Array;
  arrival: Float64Array;
  hops: Int32Array;
  /** The previous node on the path, -1 for a seed's own label. */
  prev: Int32Array;
  /** The node whose path this one extends; -1 when it starts at a seed (its own label, or a seed Package's version). */
  base: Int32Array;
  /** The step out of base (or out of prev for a seed Package's version), -1 for a seed's own label. */
  step1: Int32Array;
  /** The publish rule's second step (Package -> version), else -1. */
  step2: Int32Array;
  /** Arrival at the end of step1. */
  arrival1: Float64Array;
  /** Weakest CONFIDENCE_RANK on the whole path. */
  rank: Int8Array;
}

const VERSION_OF = EDGE.VERSION_OF;
const GRANTS = EDGE.GRANTS;
const PACKAGE = NODE.Package;
const CONFIRMED = CONFIDENCE_RANK.confirmed;

/** How often (queue pops) the search asks `shouldStop`. */
const CHECK_EVERY = 16_384;

export function searchProjection(p: Projection, q: SearchQuery, shouldStop?: () => boolean): SearchResult {
  return new Search(p, q).run(shouldStop);
}

/**
 * One search. A class rather than closures made per call: V8 then sees the same functions on every
 * search (closures created per call are new call targets each time, and the optimised search was
 * thrown away on every call).
 */
class Search {
  private readonly c: Projection['c'];
  private readonly maxHops: number;
  readonly arrival: Float64Array;
  readonly hops: Int32Array;
  readonly prev: Int32Array;
  readonly base: Int32Array;
  readonly step1: Int32Array;
  readonly step2: Int32Array;
  readonly arrival1: Float64Array;
  readonly rank: Int8Array;
  /** 0 never offered, 1 tentative, 2 final. */
  private readonly state: Uint8Array;
  private readonly order: number[] = [];
  private readonly filter: StepFilter;
  private readonly queue = new ArrivalQueue();

  constructor(
    private readonly p: Projection,
    private readonly q: SearchQuery,
  ) {
    const n = p.nodeCount;
    this.c = p.c;
    this.maxHops = q.maxHops ?? Infinity;
    this.arrival = new Float64Array(n);
    this.hops = new Int32Array(n);
    this.prev = new Int32Array(n);
    this.base = new Int32Array(n);
    this.step1 = new Int32Array(n);
    this.step2 = new Int32Array(n);
    this.arrival1 = new Float64Array(n);
    this.rank = new Int8Array(n);
    this.state = new Uint8Array(n);
    this.filter = new StepFilter(p, q);
  }

  run(shouldStop?: () => boolean): SearchResult {
    const { far, stepKind, stepStart, kind } = this.c;
    const { arrival, hops, rank, state, filter, queue, order, maxHops } = this;
    for (const s of this.q.seeds) {
      this.offer(s.node, s.at, 0, -1, -1, -1, -1, s.at, CONFIRMED);
      // A compromised Package (say, a hijacked project): every version published while it was, from
      // the seed's start until the package's containedAt (in the VERSION_OF step's bounds).
      if (kind[s.node] === PACKAGE && 1 <= maxHops) this.offerVersions(s.node, s.at, Infinity, 1, -1, -1, CONFIRMED);
    }
    let pops = 0;
    for (let u = queue.pop(); u !== undefined; u = queue.pop()) {
      if (state[u] === 2) continue;
      if (shouldStop && ++pops % CHECK_EVERY === 0 && shouldStop()) throw new BlastError('TIMEOUT', 'the blast radius was stopped before it finished');
      state[u] = 2;
      order.push(u);
      const h = hops[u]! + 1;
      if (h > maxHops) continue;
      const t = arrival[u]!;
      const ru = rank[u]!;
      for (let s = stepStart[u]!, end = stepStart[u + 1]!; s < end; s++) {
        if (stepKind[s] === VERSION_OF || !filter.usable(u, s)) continue; // VERSION_OF: only by the publish rule
        const lower = filter.lower;
        const upper = filter.upper;
        const at = t > lower ? t : lower;
        if (at > upper) continue;
        const v = far[s]!;
        const r = filter.rank < ru ? filter.rank : ru;
        this.offer(v, at, h, u, u, s, -1, at, r);
        if (stepKind[s] !== GRANTS || kind[v] !== PACKAGE || h + 1 > maxHops) continue;
        // Publish rule: versions of P published inside this credential's window.
        this.offerVersions(v, at, upper, h + 1, u, s, r);
      }
    }
    const reached = new Uint8Array(this.p.nodeCount);
    for (const v of order) reached[v] = 1;
    const { prev, base, step1, step2, arrival1 } = this;
    return { order: Int32Array.from(order), reached, arrival, hops, prev, base, step1, step2, arrival1, rank };
  }

  /** Offers v a label; it replaces v's tentative one only when smaller. */
  private offer(v: number, at: number, h: number, pv: number, b: number, s1: number, s2: number, at1: number, r: number): void {
    const st = this.state[v]!;
    if (st === 2) return;
    if (st === 1) {
      const ca = this.arrival[v]!;
      if (at !== ca) {
        if (at > ca) return;
      } else if (h !== this.hops[v]) {
        if (h > this.hops[v]!) return;
      } else {
        // No previous node (-1, a seed's own label) sorts before every id; numbers rank ids.
        const cp = this.prev[v]!;
        if (pv !== cp) {
          if (pv > cp) return;
        } else if (!(this.tieOf(pv, b, s1, s2) < this.tieOf(cp, this.base[v]!, this.step1[v]!, this.step2[v]!))) {
          return;
        }
      }
    }
    this.state[v] = 1;
    this.arrival[v] = at;
    this.hops[v] = h;
    this.prev[v] = pv;
    this.base[v] = b;
    this.step1[v] = s1;
    this.step2[v] = s2;
    this.arrival1[v] = at1;
    this.rank[v] = r;
    this.queue.push(v, at, h);
  }

  /**
   * Offers the versions of package `pkg` reached at `at` (up to `until`) with `h` hops: through step
   * s1 out of `b` (the publish rule), or (s1 = -1) as a seed Package's own versions.
   */
  private offerVersions(pkg: number, at: number, until: number, h: number, b: number, s1: number, r1: number): void {
    const { far, stepKind, stepStart, publishedAt } = this.c;
    const filter = this.filter;
    for (let vs = stepStart[pkg]!, end = stepStart[pkg + 1]!; vs < end; vs++) {
      if (stepKind[vs] !== VERSION_OF || !filter.usable(pkg, vs)) continue;
      const pub = publishedAt[far[vs]!]!;
      if (pub < at || pub > until) continue;
      if (s1 < 0) this.offer(far[vs]!, pub, h, pkg, -1, vs, -1, pub, filter.rank);
      else this.offer(far[vs]!, pub, h, pkg, b, s1, vs, at, Math.min(r1, filter.rank));
    }
  }

  /** The crossed edges' keys: the technical last tie-break, only computed on a full tie. */
  private tieOf(pv: number, b: number, s1: number, s2: number): string {
    if (s1 < 0) return '';
    const from1 = b >= 0 ? b : pv;
    return s2 < 0 ? this.keyOf(from1, s1) : `${this.keyOf(pv, s2)}\n${this.keyOf(from1, s1)}`;
  }

  private keyOf(from: number, s: number): string {
    const c = this.c;
    return stepEdgeKey(this.p.id(from), c.stepKind[s]!, this.p.id(c.far[s]!), c.access[s]!);
  }
}

/**
 * The filters a step must pass whatever the arrival: edge kinds, asOf (the edge and the far node),
 * minimum confidence, the step rules, and a time window that can open at all. `usable` leaves the
 * step's window in `lower` / `upper` and its confidence rank in `rank`.
 */
export class StepFilter {
  lower = 0;
  upper = 0;
  rank = 0;
  private readonly allowed = new Uint8Array(32);
  private readonly asOf: number;
  private readonly contained: Map<number, number>;
  private readonly hasContained: boolean;
  private readonly hasAsOf: boolean;

  constructor(
    private readonly p: Projection,
    private readonly q: SearchQuery,
  ) {
    for (const k of q.edgeKinds) this.allowed[k] = 1;
    this.asOf = q.asOf ?? Infinity;
    this.contained = new Map(q.contained);
    this.hasContained = this.contained.size > 0;
    this.hasAsOf = q.asOf !== null;
  }

  /** Whether node v is hidden by asOf. */
  hidden(v: number): boolean {
    return this.hasAsOf && !(this.p.c.ingestedAt[v]! <= this.asOf);
  }

  containedAt(u: number): number {
    const own = this.p.c.containedAt[u]!;
    return this.hasContained ? Math.min(own, this.contained.get(u) ?? Infinity) : own;
  }

  usable(u: number, s: number): boolean {
    const c = this.p.c;
    const k = c.stepKind[s]!;
    if (this.allowed[k] === 0 || !(c.stepIngestedAt[s]! <= this.asOf)) return false;
    this.rank = RANK_OF_CODE[c.confidence[s]!]!;
    if (this.rank < this.q.minRank) return false;
    const v = c.far[s]!;
    if (this.hidden(v) || !crosses(c.kind[u]!, k, c.access[s]!, c.kind[v]!)) return false;
    this.lower = Math.max(c.since[s]!, c.validFrom[v]!);
    this.upper = Math.min(c.until[s]!, this.containedAt(u), c.validUntil[u]!, c.validUntil[v]!);
    if (this.lower > this.upper) return false;
    if (k === VERSION_OF) {
      // Only the publish rule crosses VERSION_OF: the version arrives at its publishedAt.
      const pub = c.publishedAt[v]!;
      if (!(pub >= this.lower && pub <= this.upper)) return false;
    }
    return true;
  }
}
