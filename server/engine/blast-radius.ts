/**
 * The blast radius (ARCHITECTURE.md, "Blast-radius semantics"), implemented once, over the GraphStore
 * contract only, so every store gives the same answer byte for byte.
 *
 * Three phases:
 *  1. fetchRegion (region.ts) pulls the structurally reachable region frontier by frontier with
 *     store.propagationColumns, applying every filter that does not depend on time of arrival, into
 *     columns (no object per step).
 *  2. An exact label-setting search in memory (Dijkstra with a bucket queue by (arrival, hops),
 *     arrival-queue.ts), over region numbers;
 *     labels are columns too, and ids are compared through each node's rank in id order.
 *  3. assemble builds the result: each path is its base's path plus one or two hops.
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
 * popped, and extended, first. The recursive definition has exactly one solution (the smallest
 * node where two solutions differed would be derived from a smaller, equal node) and Dijkstra
 * computes it. Note that extend is not monotone (an earlier label with more hops can lose to a later
 * one after a `since` raises both arrivals); the definition above, using each node's own chosen
 * label, is what makes paths consistent: a node's path is its predecessor's path plus one hop.
 *
 * The publish rule is a two-hop step Credential c -> Package P -> PackageVersion V taken when c is
 * final: P's arrival via c is t' = max(t, grant.since) (within the grant's bounds), and every version
 * with t' <= V.publishedAt <= min(grant.until, c.containedAt, c.validUntil, P.containedAt) is offered
 * the label (V.publishedAt, hops(c) + 2, P) with path c -> P -> V. It is computed per credential, not
 * from P's own best label, so a version is reached when any credential's window covers it; its path
 * runs through the credential that wins its tie-break. It is strictly increasing too.
 *
 * Cost: one propagationColumns() round trip per BFS frontier per 5,000 ids; O((N + E) log N) for the search
 * over the N region nodes and E region steps (plus versions x publish grants for the publish rule);
 * output size is the sum of path lengths.
 */
import { BlastError } from '../model/errors.js';
import { CONFIDENCES, CONFIDENCE_RANK, EDGE_KINDS, type Confidence, type EdgeKind, type NodeKind } from '../model/kinds.js';
import type { StoredNode } from '../model/record.js';
import { formatTime, normalizeTime } from '../model/time.js';
import type { Source } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';
import { compareText, normaliseOptions, normaliseSeeds, type BlastOptions, type NormalisedOptions, type SeedInput } from './blast-options.js';
import { ArrivalQueue } from './arrival-queue.js';
import { byArrivalThenRank } from './arrival-order.js';
import { fetchRegion, isCustomer, isPublish, isVersionOf, visible, type Region, type RegionFilters } from './region.js';
import { stepEdgeKey } from '../store/propagation-columns.js';

export type { BlastOptions, ContainedInput, NormalisedOptions, SeedInput } from './blast-options.js';

/** One hop of an evidence path, in the compromise's direction (not necessarily the stored one). */
export interface PathHop {
  from: string;
  edge: EdgeKind;
  to: string;
  /** When the compromise crossed this hop; null = unknown, as early as possible. */
  arrival: string | null;
  /** The records that assert the edge. */
  sources: Source[];
}

export interface AffectedNode {
  id: string;
  kind: NodeKind;
  name: string;
  /** The earliest instant the compromise could have arrived; null = unknown, as early as possible. */
  firstExposedAt: string | null;
  hops: number;
  /** The weakest hop on the path. */
  confidence: Confidence;
  path: PathHop[];
}

export interface CustomerReason {
  /** The reached Dataset holding the customer's data, or the reached Service the customer uses. */
  via: string;
  /** The evidence path: the via node's chosen path plus the hop from it to the customer. */
  path: PathHop[];
}

export interface AffectedCustomer {
  id: string;
  name: string;
  firstExposedAt: string | null;
  reasons: CustomerReason[];
}

export interface BlastSeed {
  id: string;
  /** The start used: the one given, else compromisedAt, else publishedAt, else null. */
  at: string | null;
  /** False when no such node exists (as of `asOf`); such a seed reaches nothing. */
  found: boolean;
}

/** The result; the CLI's `--format json` and GraphQL `blastRadius` (ARCHITECTURE.md, contract). */
export interface BlastRadius {
  snapshotId: string;
  seeds: BlastSeed[];
  options: NormalisedOptions;
  /** Every reached node but the seeds, by firstExposedAt (nulls first), then id. */
  affected: AffectedNode[];
  /** Every reached Customer (also in `affected`), in the same order, with every distinct reason. */
  customers: AffectedCustomer[];
}

/** The seeds used when none are given: every node marked compromised, each at its own start. */
export async function defaultSeeds(store: GraphStore): Promise<SeedInput[]> {
  return (await store.compromisedNodes()).map((n) => ({ id: n.id }));
}

/**
 * Candidate labels live in columns (see Labels), compared by `less`; a node's chosen label is the one
 * it holds when it is popped. Paths are not built during the search: a label names its base node (whose
 * chosen path it extends) and the one or two steps after it.
 */
class Labels {
  readonly arrival: number[] = [];
  readonly hops: number[] = [];
  readonly node: number[] = [];
  /** The previous node on the path, -1 for a seed's own label. */
  readonly prev: number[] = [];
  /** The node whose chosen path this label extends; -1 when the path starts at a seed (its own label, or a seed Package's version). */
  readonly base: number[] = [];
  /** The step out of `base`, -1 for none (a seed's label). */
  readonly step1: number[] = [];
  /** The publish rule's second step (Package -> version), else -1. */
  readonly step2: number[] = [];
  /** Arrival at the end of step1 when step2 follows (the package), else the label's arrival. */
  readonly arrival1: number[] = [];
  /** Weakest confidence rank among the label's steps. */
  readonly rank: number[] = [];

  get size(): number {
    return this.node.length;
  }

  push(node: number, arrival: number, hops: number, prev: number, base: number, step1: number, step2: number, arrival1: number, rank: number): number {
    this.node.push(node);
    this.arrival.push(arrival);
    this.hops.push(hops);
    this.prev.push(prev);
    this.base.push(base);
    this.step1.push(step1);
    this.step2.push(step2);
    this.arrival1.push(arrival1);
    this.rank.push(rank);
    return this.node.length - 1;
  }

  /** Forgets the last label pushed (a candidate that lost). */
  pop(): void {
    this.node.pop();
    this.arrival.pop();
    this.hops.pop();
    this.prev.pop();
    this.base.pop();
    this.step1.pop();
    this.step2.pop();
    this.arrival1.pop();
    this.rank.pop();
  }
}

/**
 * Everything the seeds could reach, when, and how. Bad options or ids throw BAD_INPUT; a seed that is
 * not in the graph (as of `asOf`) is reported with `found: false` and reaches nothing.
 * @example
 * const r = await computeBlastRadius(store, [{ id: 'pkg:githubactions/aquasecurity/trivy-action@0.33.1' }], { minConfidence: 'likely' });
 * process.stdout.write(`${JSON.stringify(r, null, 2)}\n`); // byte-identical for the same graph and options
 */
export async function computeBlastRadius(store: GraphStore, seeds: readonly SeedInput[], options: BlastOptions = {}): Promise<BlastRadius> {
  const opts = normaliseOptions(options);
  const wanted = normaliseSeeds(seeds);
  const filters: RegionFilters = {
    edgeKinds: new Set(opts.edgeKinds),
    minRank: CONFIDENCE_RANK[opts.minConfidence],
    asOf: opts.asOf === null ? null : Date.parse(opts.asOf),
    maxHops: opts.maxHops,
    contained: new Map(opts.contained.map((c) => [c.id, Date.parse(c.at)])),
  };
  const snapshotId = await store.snapshotId();
  const seedNodes = wanted.length === 0 ? [] : await store.getNodes(wanted.map((s) => s.id));

  const seedsOut: BlastSeed[] = [];
  const found: Array<{ node: StoredNode; at: number }> = [];
  wanted.forEach((s, i) => {
    const node = seedNodes[i] && visible(seedNodes[i], filters) ? seedNodes[i] : null;
    const own = node ? (normalizeTime(node.props.compromisedAt) ?? normalizeTime(node.props.publishedAt)) : null;
    // A node given several times starts at the earliest of its starts (null, unknown, is earliest).
    const starts = s.starts.map((at) => at ?? own);
    const at = starts.includes(null) ? null : (starts as string[]).reduce((a, b) => (Date.parse(b) < Date.parse(a) ? b : a));
    if (!node) {
      seedsOut.push({ id: s.id, at, found: false });
      return;
    }
    seedsOut.push({ id: s.id, at, found: true });
    found.push({ node, at: at === null ? -Infinity : Date.parse(at) });
  });

  const region = await fetchRegion(store, found.map((f) => f.node), filters);
  const chosen = search(region, found, opts.maxHops);
  const isSeed = new Uint8Array(region.size);
  for (const f of found) isSeed[region.index.get(f.node.id)!] = 1;
  return assemble(snapshotId, seedsOut, opts, region, chosen, isSeed);
}

/** The search's answer: each reached node's chosen label, and the nodes in the order they became final. */
interface Chosen {
  labels: Labels;
  /** Region node -> its chosen label, -1 when not reached. */
  of: Int32Array;
  /** Reached region nodes, in the order their labels became final (a base before what extends it). */
  order: number[];
}

/** The label-setting search over the region. */
function search(region: Region, seeds: ReadonlyArray<{ node: StoredNode; at: number }>, maxHops: number | null): Chosen {
  const labels = new Labels();
  const { arrival, hops, prev, node: labelNode } = labels;
  const ids = region.nodes.map((n) => n.id);
  // The crossed edges' keys: the technical last tie-break, only computed on a full tie.
  const tieOf = (l: number): string => {
    const s1 = labels.step1[l]!;
    const s2 = labels.step2[l]!;
    if (s1 < 0) return '';
    return s2 < 0 ? stepKey(region, ids, s1) : `${stepKey(region, ids, s2)}\n${stepKey(region, ids, s1)}`;
  };
  const rank = region.idRank();
  const less = (a: number, b: number): boolean => {
    if (arrival[a] !== arrival[b]) return arrival[a]! < arrival[b]!;
    if (hops[a] !== hops[b]) return hops[a]! < hops[b]!;
    // No previous node ('', a seed's own label) sorts before every id.
    const pa = prev[a]! < 0 ? -1 : rank[prev[a]!]!;
    const pb = prev[b]! < 0 ? -1 : rank[prev[b]!]!;
    if (pa !== pb) return pa < pb;
    const ta = tieOf(a);
    const tb = tieOf(b);
    if (ta !== tb) return ta < tb;
    return rank[labelNode[a]!]! < rank[labelNode[b]!]!;
  };
  // Labels leave the queue by (arrival, hops) only. Between labels of one node the full order
  // matters, and `offer` settles it: a node's tentative label is the best offered so far, and a
  // label popped that is no longer its node's tentative one is skipped. Labels of different nodes
  // equal in (arrival, hops) cannot improve each other (an extension adds a hop), and every label
  // that could offer a node (a, h) has (arrival, hops) before (a, h), so has been popped already.
  const queue = new ArrivalQueue();
  const tentative = new Int32Array(region.size).fill(-1);
  const final = new Int32Array(region.size).fill(-1);
  const order: number[] = [];
  const withinHops = (h: number) => maxHops === null || h <= maxHops;
  const offer = (v: number, at: number, h: number, p: number, base: number, s1: number, s2: number, at1: number, rank: number): void => {
    if (final[v]! >= 0) return;
    const l = labels.push(v, at, h, p, base, s1, s2, at1, rank);
    const cur = tentative[v]!;
    if (cur >= 0 && !less(l, cur)) {
      labels.pop();
      return;
    }
    tentative[v] = l;
    queue.push(l, at, h);
  };
  const { stepStart, stepEnd, stepTo, stepRank, lower, upper, publishedAt } = region;

  for (const s of seeds) {
    const r = region.index.get(s.node.id)!;
    offer(r, s.at, 0, -1, -1, -1, -1, s.at, CONFIDENCE_RANK.confirmed);
    if (s.node.kind === 'Package' && withinHops(1)) {
      // A compromised Package (say, a hijacked project): every version published while it was,
      // from the seed's start until the package's containedAt (in the VERSION_OF step's bounds).
      for (let vs = stepStart[r]!; vs < stepEnd[r]!; vs++) {
        if (!isVersionOf(region, vs)) continue;
        const pub = publishedAt[stepTo[vs]!]!;
        if (pub < s.at) continue;
        offer(stepTo[vs]!, pub, 1, r, -1, vs, -1, pub, stepRank[vs]!);
      }
    }
  }

  for (let l = queue.pop(); l !== undefined; l = queue.pop()) {
    const u = labelNode[l]!;
    if (final[u]! >= 0 || tentative[u] !== l) continue;
    final[u] = l;
    order.push(u);
    const h = hops[l]! + 1;
    if (!withinHops(h)) continue;
    const t = arrival[l]!;
    for (let s = stepStart[u]!, end = stepEnd[u]!; s < end; s++) {
      if (isVersionOf(region, s)) continue; // crossed only by the publish rule
      const at = t > lower[s]! ? t : lower[s]!;
      if (at > upper[s]!) continue;
      const v = stepTo[s]!;
      offer(v, at, h, u, u, s, -1, at, stepRank[s]!);
      if (!isPublish(region, s) || !withinHops(h + 1)) continue;
      // Publish rule: versions of P published inside this credential's window.
      for (let vs = stepStart[v]!, vend = stepEnd[v]!; vs < vend; vs++) {
        if (!isVersionOf(region, vs)) continue;
        const pub = publishedAt[stepTo[vs]!]!;
        if (pub < at || pub > upper[s]!) continue;
        offer(stepTo[vs]!, pub, h + 1, v, u, s, vs, at, Math.min(stepRank[s]!, stepRank[vs]!));
      }
    }
  }
  return { labels, of: final, order };
}

/** The stored key of region step s. */
function stepKey(region: Region, ids: readonly string[], s: number): string {
  return stepEdgeKey(ids[region.stepFrom[s]!]!, region.stepKind[s]!, ids[region.stepTo[s]!]!, region.stepAccess[s]!);
}

function assemble(snapshotId: string, seeds: BlastSeed[], options: NormalisedOptions, region: Region, chosen: Chosen, isSeed: Uint8Array): BlastRadius {
  const { labels, of, order } = chosen;
  const times = new TimeText();
  const hop = (s: number, at: number): PathHop => ({
    from: region.nodes[region.stepFrom[s]!]!.id,
    edge: EDGE_KINDS[region.stepKind[s]!]!,
    to: region.nodes[region.stepTo[s]!]!.id,
    arrival: times.of(at),
    sources: region.sources[s] as Source[],
  });
  // Paths and confidences in the order labels became final: a base is always final before the
  // nodes that extend it, so no recursion is needed.
  const paths = new Array<PathHop[]>(region.size);
  const ranks = new Int8Array(region.size);
  for (const v of order) {
    const l = of[v]!;
    const base = labels.base[l]!;
    const s1 = labels.step1[l]!;
    const s2 = labels.step2[l]!;
    if (s1 < 0) {
      paths[v] = [];
      ranks[v] = CONFIDENCE_RANK.confirmed;
      continue;
    }
    // base -1: a version of a seed Package, whose path is that one hop from the seed.
    const prefix = base < 0 ? [] : paths[base]!;
    paths[v] = s2 < 0 ? [...prefix, hop(s1, labels.arrival[l]!)] : [...prefix, hop(s1, labels.arrival1[l]!), hop(s2, labels.arrival[l]!)];
    ranks[v] = Math.min(base < 0 ? CONFIDENCE_RANK.confirmed : ranks[base]!, labels.rank[l]!);
  }

  const arrivalOf = (v: number) => labels.arrival[of[v]!]!;
  const rank = region.idRank();
  const reached = byArrivalThenRank(
    order.filter((v) => isSeed[v] === 0),
    arrivalOf,
    rank,
  );
  const affected: AffectedNode[] = reached.map((v) => {
    const node = region.nodes[v]!;
    return {
      id: node.id,
      kind: node.kind,
      name: node.name,
      firstExposedAt: times.of(arrivalOf(v)),
      hops: labels.hops[of[v]!]!,
      confidence: confidenceOf(ranks[v]!),
      path: paths[v]!,
    };
  });

  // Every distinct reason per reached customer: each reached Dataset it BELONGS_TO and each reached
  // Service it USES, where that last hop can itself be crossed (time, filters, hop limit).
  const reasons = new Map<number, Array<{ via: number; arrival: number; hops: number; path: PathHop[] }>>();
  // Only the steps into customers are read (in step order; a node's steps are adjacent, so each
  // customer's list is in the same order as when walking the reached nodes' steps).
  for (const s of region.customerSteps) {
    const u = region.stepFrom[s]!;
    const target = region.stepTo[s]!;
    const l = of[u]!;
    if (l < 0 || of[target]! < 0 || isSeed[target] === 1) continue;
    if (options.maxHops !== null && labels.hops[l]! + 1 > options.maxHops) continue;
    const t = labels.arrival[l]!;
    const arrival = t > region.lower[s]! ? t : region.lower[s]!;
    if (arrival > region.upper[s]!) continue;
    const list = reasons.get(target) ?? [];
    list.push({ via: u, arrival, hops: labels.hops[l]! + 1, path: [...paths[u]!, hop(s, arrival)] });
    reasons.set(target, list);
  }
  const customers: AffectedCustomer[] = [];
  reached.forEach((v, i) => {
    if (!isCustomer(region, v)) return;
    const a = affected[i]!;
    const list = reasons.get(v) ?? [];
    if (list.length === 0) {
      // Cannot happen: a customer's own label is one of its reasons.
      throw new BlastError('INTERNAL', 'a reached customer has no reason');
    }
    list.sort((x, y) =>
      x.arrival !== y.arrival ? (x.arrival < y.arrival ? -1 : 1) : x.hops - y.hops || rank[x.via]! - rank[y.via]!,
    );
    customers.push({ id: a.id, name: a.name, firstExposedAt: a.firstExposedAt, reasons: list.map((r) => ({ via: region.nodes[r.via]!.id, path: r.path })) });
  });
  return { snapshotId, seeds, options, affected, customers };
}

/** Canonical time texts, each distinct instant formatted once. */
class TimeText {
  private readonly cache = new Map<number, string>();

  of(ms: number): string | null {
    if (ms === -Infinity) return null;
    let t = this.cache.get(ms);
    if (t === undefined) {
      t = formatTime(ms);
      this.cache.set(ms, t);
    }
    return t;
  }
}

function confidenceOf(rank: number): Confidence {
  return CONFIDENCES.find((c) => CONFIDENCE_RANK[c] === rank) ?? 'confirmed';
}
