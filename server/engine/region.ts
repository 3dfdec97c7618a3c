/**
 * The structurally reachable region around the seeds, fetched frontier by frontier through
 * GraphStore.propagationColumns (large batches, every node's adjacency fetched once). The filters
 * that do not depend on when a node is reached are applied while fetching, so nothing beyond them is
 * kept: the step rules (which edge kinds leave which node kinds, GRANTS access levels), the edge-kinds
 * and minimum-confidence options, asOf, the hop limit (breadth-first depth is a lower bound on any
 * path's hops), and edges whose time window can never open (max(since, v.validFrom) later than
 * min(until, u.containedAt, u.validUntil, v.validUntil)).
 *
 * The region is kept in columns, numbered in the order nodes are admitted: a million-node region is
 * a few arrays, not a million objects with a list of step objects each. A node's steps are adjacent
 * (it is expanded by exactly one propagationColumns call, which groups steps by leaving node).
 */
import { ACCESS_LEVELS, CONFIDENCE_RANK, CONFIDENCES, EDGE_KINDS, NODE_KINDS, type Access, type EdgeKind, type NodeKind } from '../model/kinds.js';
import type { StoredNode } from '../model/record.js';
import type { Json, Source } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';
import type { PropagationColumns } from '../store/propagation-columns.js';

/** Ids per propagationColumns() call: few round trips, bounded query size. */
export const PROPAGATION_BATCH = 5000;

const KIND = Object.fromEntries(EDGE_KINDS.map((k, i) => [k, i])) as Record<EdgeKind, number>;
const NODE = Object.fromEntries(NODE_KINDS.map((k, i) => [k, i])) as Record<NodeKind, number>;
/** CONFIDENCE_RANK by confidence code (0 = absent = confirmed). */
const RANK_OF_CODE = [CONFIDENCE_RANK.confirmed, ...CONFIDENCES.map((c) => CONFIDENCE_RANK[c])];

export interface RegionFilters {
  edgeKinds: ReadonlySet<EdgeKind>;
  minRank: number;
  /** Epoch ms; records first ingested after it are ignored. */
  asOf: number | null;
  maxHops: number | null;
  /** The contained option: node id -> epoch ms. */
  contained: ReadonlyMap<string, number>;
}

/**
 * The region: node r (0 ≤ r < size) and step s (0 ≤ s < steps) in parallel arrays. Times are epoch ms,
 * with -Infinity / +Infinity for an absent lower / upper bound.
 */
export class Region {
  readonly nodes: StoredNode[] = [];
  /**
   * Region number by id, for the seeds and for nodes found by id (while the store's answers carry no
   * numbers); `indexAll` completes it.
   */
  readonly index = new Map<string, number>();
  /** The store's own number of each node (PropagationColumns.numbers), -1 when not known. */
  readonly number: number[] = [];
  /** Whether every answer carried the same numbering, in id order (then `number` ranks ids). */
  idOrdered = false;
  /** Credential createdAt, else -Infinity. */
  readonly validFrom: number[] = [];
  /** Credential min(rotatedAt, revokedAt), else +Infinity. */
  readonly validUntil: number[] = [];
  /** min(props.containedAt, the contained option), else +Infinity. */
  readonly containedAt: number[] = [];
  /** PackageVersion publishedAt, else NaN. */
  readonly publishedAt: number[] = [];
  /** NODE_KINDS code. */
  readonly kind: number[] = [];
  /** Steps out of node r: stepStart[r] .. stepEnd[r] - 1 (empty for nodes never expanded). */
  readonly stepStart: number[] = [];
  readonly stepEnd: number[] = [];
  /**
   * 1 once some step can reach the node (or it is a seed): only those are expanded. A node is added
   * when a step first points at it, before the step rules have been checked.
   */
  readonly admitted: number[] = [];

  /**
   * Per step (typed arrays, grown by doubling; entries at and past `steps` are unused): leaving and far
   * node, EDGE_KINDS code, access code (+1, 0 absent), confidence rank, and time bounds.
   */
  stepFrom = new Int32Array(1024);
  stepTo = new Int32Array(1024);
  stepKind = new Uint8Array(1024);
  stepAccess = new Uint8Array(1024);
  stepRank = new Int8Array(1024);
  /** max(edge.since, to.validFrom). */
  lower = new Float64Array(1024);
  /** min(edge.until, from.containedAt, from.validUntil, to.validUntil). */
  upper = new Float64Array(1024);
  readonly sources: Array<readonly Source[]> = [];
  /** The steps into Customer nodes, ascending. */
  readonly customerSteps: number[] = [];
  /** Number of steps. */
  steps = 0;

  private rankById: Int32Array | null = null;
  private indexed = true;

  get size(): number {
    return this.nodes.length;
  }

  /**
   * Each node's rank in id order (JavaScript string order, as everywhere in results), so that the
   * search's and the result's tie-breaks compare numbers instead of long ids. Computed once the
   * region is complete.
   */
  idRank(): Int32Array {
    if (this.rankById === null && this.idOrdered && !this.number.includes(-1)) {
      // The store's numbers already ascend with ids: they compare as the ranks would.
      this.rankById = Int32Array.from(this.number);
    }
    if (this.rankById === null) {
      this.indexAll();
      // The default sort compares strings natively: much faster than a comparator over millions of ids.
      const sorted = this.nodes.map((n) => n.id).sort();
      const rank = new Int32Array(sorted.length);
      sorted.forEach((id, i) => (rank[this.index.get(id)!] = i));
      this.rankById = rank;
    }
    return this.rankById;
  }

  /** Appends a step out of u (whose steps must be the last ones appended). */
  addStep(u: number, v: number, kind: number, access: number, rank: number, lower: number, upper: number, sources: readonly Source[]): void {
    const s = this.steps;
    if (s === this.stepTo.length) this.grow();
    this.stepFrom[s] = u;
    this.stepTo[s] = v;
    this.stepKind[s] = kind;
    this.stepAccess[s] = access;
    this.stepRank[s] = rank;
    this.lower[s] = lower;
    this.upper[s] = upper;
    this.sources.push(sources);
    if (this.kind[v] === CUSTOMER) this.customerSteps.push(s);
    this.steps = s + 1;
    this.stepEnd[u] = s + 1;
  }

  private grow(): void {
    const n = this.stepTo.length * 2;
    const more = <T extends Int32Array | Uint8Array | Int8Array | Float64Array>(a: T, make: new (n: number) => T): T => {
      const b = new make(n);
      b.set(a);
      return b;
    };
    this.stepFrom = more(this.stepFrom, Int32Array);
    this.stepTo = more(this.stepTo, Int32Array);
    this.stepKind = more(this.stepKind, Uint8Array);
    this.stepAccess = more(this.stepAccess, Uint8Array);
    this.stepRank = more(this.stepRank, Int8Array);
    this.lower = more(this.lower, Float64Array);
    this.upper = more(this.upper, Float64Array);
  }

  /**
   * Adds a node (not yet there) and returns its number. `number`: the store's, when known; such a
   * node is found by it, so it is only put in `index` by `indexAll`.
   */
  add(node: StoredNode, filters: RegionFilters, number = -1): number {
    const r = this.nodes.length;
    const p = node.props;
    const credential = node.kind === 'Credential';
    this.nodes.push(node);
    this.number.push(number);
    if (number < 0) this.index.set(node.id, r);
    else this.indexed = false;
    this.kind.push(NODE[node.kind]);
    this.validFrom.push(credential ? (ms(p.createdAt) ?? -Infinity) : -Infinity);
    this.validUntil.push(credential ? Math.min(ms(p.rotatedAt) ?? Infinity, ms(p.revokedAt) ?? Infinity) : Infinity);
    this.containedAt.push(Math.min(ms(p.containedAt) ?? Infinity, filters.contained.get(node.id) ?? Infinity));
    this.publishedAt.push(node.kind === 'PackageVersion' ? (ms(p.publishedAt) ?? NaN) : NaN);
    this.stepStart.push(0);
    this.stepEnd.push(0);
    this.admitted.push(0);
    return r;
  }

  /** Puts every node in `index` (once nodes are to be found by id again). */
  indexAll(): void {
    if (this.indexed) return;
    this.nodes.forEach((n, r) => this.index.set(n.id, r));
    this.indexed = true;
  }
}

/** Whether a node exists for this computation (asOf hides records first ingested later). */
export function visible(record: { firstIngestedAt: string }, filters: RegionFilters): boolean {
  return filters.asOf === null || Date.parse(record.firstIngestedAt) <= filters.asOf;
}

/**
 * Fetches the region reachable from `seeds` (already checked visible). Every admitted node is in it;
 * only nodes with depth < maxHops have their steps filled in.
 */
export async function fetchRegion(store: GraphStore, seeds: readonly StoredNode[], filters: RegionFilters): Promise<Region> {
  const region = new Region();
  const allowed = new Uint8Array(EDGE_KINDS.length);
  for (const k of filters.edgeKinds) allowed[KIND[k]] = 1;
  const asOf = filters.asOf ?? Infinity;
  let frontier: number[] = [];
  for (const s of seeds) {
    if (region.index.has(s.id)) continue;
    const r = region.add(s, filters);
    region.admitted[r] = 1;
    frontier.push(r);
  }
  const seedIndex = new Map(region.index);
  // Region number by the store's own node number, while the store keeps one numbering (see
  // PropagationColumns.numbers); else (null) nodes are found by id.
  let numbering: object | null | undefined;
  let byNumber: Int32Array | null = null;
  for (let depth = 0; frontier.length > 0; depth++) {
    if (filters.maxHops !== null && depth >= filters.maxHops) break;
    const next: number[] = [];
    const batches: number[][] = [];
    for (let i = 0; i < frontier.length; i += PROPAGATION_BATCH) batches.push(frontier.slice(i, i + PROPAGATION_BATCH));
    const ask = (asked: number[]): Promise<PropagationColumns> => {
      // The asked nodes' numbers, when the store numbers them: it need not look the ids up.
      const known = numbering ? { numbering, numbers: Int32Array.from(asked, (r) => region.number[r]!) } : undefined;
      const answer = store.propagationColumns(asked.map((r) => region.nodes[r]!.id), known);
      answer.catch(() => undefined); // awaited below; this only keeps a failure from going unhandled meanwhile
      return answer;
    };
    // One call ahead: the store (a database) works on the next batch while this one is read.
    let pending = batches.length > 0 ? ask(batches[0]!) : null;
    for (let b = 0; b < batches.length; b++) {
      const asked = batches[b]!;
      const c = await pending!;
      pending = b + 1 < batches.length ? ask(batches[b + 1]!) : null;
      // Per far node of this answer: its region number, -1 before first seen, -2 when not visible.
      const local = new Int32Array(c.nodes.length).fill(-1);
      const n = c.numbers;
      if (n && (numbering === undefined || numbering === n.numbering)) {
        if (numbering === undefined) {
          numbering = n.numbering;
          byNumber = new Int32Array(n.size).fill(-1);
          region.idOrdered = n.idOrder;
        }
        // The asked nodes' own numbers: the seeds were added before any numbered answer.
        for (let i = 0; i < asked.length; i++) {
          const number = n.asked[i]!;
          if (number < 0) continue;
          byNumber![number] = asked[i]!;
          region.number[asked[i]!] = number;
        }
      } else if (numbering !== null) {
        // No numbers, or new ones (the data changed): from here on nodes are found by id.
        numbering = null;
        byNumber = null;
        region.idOrdered = false;
        region.indexAll();
      }
      const numbers = byNumber === null ? null : n!.of;
      let current = -1;
      for (let j = 0; j < c.count; j++) {
        const u = asked[c.from[j]!]!;
        if (u !== current) {
          // Steps come grouped by leaving node: u's steps start here.
          current = u;
          region.stepStart[u] = region.steps;
          region.stepEnd[u] = region.steps;
        }
        const kind = c.kind[j]!;
        if (allowed[kind] === 0 || !(c.firstIngestedAt[j]! <= asOf)) continue;
        const rank = RANK_OF_CODE[c.confidence[j]!]!;
        if (rank < filters.minRank) continue;
        let v = local[c.to[j]!]!;
        if (v === -2) continue;
        if (v === -1) {
          const node = c.nodes[c.to[j]!]!;
          if (!visible(node, filters)) {
            local[c.to[j]!] = -2;
            continue;
          }
          if (numbers !== null) {
            const number = numbers[c.to[j]!]!;
            v = byNumber![number]!;
            if (v < 0) {
              // New, or a seed not asked yet (the only nodes added before the first numbered answer).
              const seed = seedIndex.get(node.id);
              v = seed ?? region.add(node, filters, number);
              byNumber![number] = v;
              region.number[v] = number;
            }
          } else {
            v = region.index.get(node.id) ?? region.add(node, filters);
          }
          local[c.to[j]!] = v;
        }
        if (!crosses(region.kind[u]!, kind, c.access[j]!, region.kind[v]!)) continue;
        const since = c.since[j]!;
        const lower = Math.max(Number.isNaN(since) ? -Infinity : since, region.validFrom[v]!);
        const until = c.until[j]!;
        const upper = Math.min(Number.isNaN(until) ? Infinity : until, region.containedAt[u]!, region.validUntil[u]!, region.validUntil[v]!);
        if (lower > upper) continue;
        if (kind === VERSION_OF) {
          // Only the publish rule crosses VERSION_OF: the version arrives at its publishedAt.
          const pub = region.publishedAt[v]!;
          if (!(pub >= lower && pub <= upper)) continue;
        }
        region.addStep(u, v, kind, c.access[j]!, rank, lower, upper, c.sources[j]!);
        if (region.admitted[v] === 0) {
          region.admitted[v] = 1;
          next.push(v);
        }
      }
    }
    frontier = next;
  }
  return region;
}

const VERSION_OF = KIND.VERSION_OF;
const GRANTS = KIND.GRANTS;
const PACKAGE = NODE.Package;
const CUSTOMER = NODE.Customer;
/** ACCESS_LEVELS position + 1 (the columns' access code), by level. */
const ACCESS = Object.fromEntries(ACCESS_LEVELS.map((a, i) => [a, i + 1])) as Record<Access, number>;

/**
 * The step rules (ARCHITECTURE.md, blast-radius steps 1-5 and the publish rule), compromise direction:
 * which edge kinds may leave which node kind for which, and the access levels a GRANTS needs.
 * Undefined = never; an empty list = any access.
 */
function rule(from: NodeKind, edge: EdgeKind, to: NodeKind): readonly Access[] | undefined {
  const any: readonly Access[] = [];
  switch (edge) {
    case 'DEPENDS_ON':
      return from === 'PackageVersion' && (to === 'PackageVersion' || to === 'Service') ? any : undefined;
    case 'HOLDS':
      return from === 'Service' && to === 'Credential' ? any : undefined;
    case 'READS':
    case 'WRITES':
      return from === 'Service' && to === 'Dataset' ? any : undefined;
    case 'USES':
      return from === 'Service' && to === 'Customer' ? any : undefined;
    case 'GRANTS':
      if (from !== 'Credential') return undefined;
      if (to === 'Dataset') return any;
      if (to === 'Service') return ['admin', 'deploy'];
      if (to === 'Package') return ['publish'];
      return undefined;
    case 'DERIVED_FROM':
      return from === 'Dataset' && to === 'Dataset' ? any : undefined;
    case 'BELONGS_TO':
      return from === 'Dataset' && to === 'Customer' ? any : undefined;
    case 'VERSION_OF':
      return from === 'Package' && to === 'PackageVersion' ? any : undefined;
    case 'AFFECTS':
      return undefined;
  }
}

/**
 * `rule` as a table read once per step: bit (access code) set when a step of that access may cross,
 * by (from kind, edge kind, to kind) codes.
 */
const RULES = (() => {
  const table = new Uint8Array(NODE_KINDS.length * EDGE_KINDS.length * NODE_KINDS.length);
  NODE_KINDS.forEach((from, f) =>
    EDGE_KINDS.forEach((edge, e) =>
      NODE_KINDS.forEach((to, t) => {
        const access = rule(from, edge, to);
        if (access === undefined) return;
        const mask = access.length === 0 ? 0xff : access.reduce((m, a) => m | (1 << ACCESS[a]), 0);
        table[(f * EDGE_KINDS.length + e) * NODE_KINDS.length + t] = mask;
      }),
    ),
  );
  return table;
})();

function crosses(from: number, kind: number, access: number, to: number): boolean {
  return (RULES[(from * EDGE_KINDS.length + kind) * NODE_KINDS.length + to]! & (1 << access)) !== 0;
}

/** Whether step s is a publish grant to a Package: the publish rule continues to its versions. */
export function isPublish(region: Region, s: number): boolean {
  return region.stepKind[s] === GRANTS && region.kind[region.stepTo[s]!] === PACKAGE;
}

export function isVersionOf(region: Region, s: number): boolean {
  return region.stepKind[s] === VERSION_OF;
}

export function isCustomer(region: Region, r: number): boolean {
  return region.kind[r] === CUSTOMER;
}

function ms(value: Json | undefined): number | null {
  if (typeof value !== 'string') return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : t;
}
