/**
 * The blast radius (ARCHITECTURE.md, "Blast-radius semantics"), implemented once, over the GraphStore
 * contract only, so every store gives the same answer byte for byte.
 *
 * Two phases:
 *  1. fetchRegion (region.ts) pulls the structurally reachable region frontier by frontier with
 *     store.propagation, applying every filter that does not depend on time of arrival.
 *  2. An exact label-setting search (Dijkstra with a binary heap) in memory.
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
 * extended from u is greater than label(u). Hence when the heap yields a node its label is final:
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
 * Cost: one propagation() round trip per BFS frontier per 5,000 ids; O((N + E) log N) for the search
 * over the N region nodes and E region steps (plus versions x publish grants for the publish rule);
 * output size is the sum of path lengths.
 */
import { BlastError } from '../model/errors.js';
import { CONFIDENCES, CONFIDENCE_RANK, type Confidence, type EdgeKind, type NodeKind } from '../model/kinds.js';
import type { StoredEdge, StoredNode } from '../model/record.js';
import { formatTime, normalizeTime } from '../model/time.js';
import type { Source } from '../model/types.js';
import type { GraphStore } from '../store/graph-store.js';
import { compareText, normaliseOptions, normaliseSeeds, type BlastOptions, type NormalisedOptions, type SeedInput } from './blast-options.js';
import { MinHeap } from './min-heap.js';
import { fetchRegion, visible, type RegionFilters, type RegionNode, type RegionStep } from './region.js';

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

interface RawHop {
  from: string;
  edge: StoredEdge;
  to: string;
  arrival: number;
}

/** A candidate (and, once popped, the chosen) label of a node. */
interface Label {
  node: string;
  /** Epoch ms; -Infinity = unknown (null), which sorts first. */
  arrival: number;
  hops: number;
  /** The previous node on the path, '' for a seed's own label. */
  prev: string;
  /** The crossed edge key(s): the technical last tie-break between parallel edges. */
  tie: string;
  /** The node whose chosen path this one extends; null when the path starts at a seed. */
  base: string | null;
  /** The hops after `base` (one, or two for the publish rule). */
  extra: RawHop[];
  /** Weakest confidence rank among `extra`. */
  rank: number;
}

function less(a: Label, b: Label): boolean {
  if (a.arrival !== b.arrival) return a.arrival < b.arrival;
  if (a.hops !== b.hops) return a.hops < b.hops;
  if (a.prev !== b.prev) return a.prev < b.prev;
  if (a.tie !== b.tie) return a.tie < b.tie;
  return a.node < b.node;
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
  return assemble(snapshotId, seedsOut, opts, region, chosen, new Set(found.map((f) => f.node.id)));
}

/** The label-setting search; returns the chosen labels in the order they became final. */
function search(region: ReadonlyMap<string, RegionNode>, seeds: ReadonlyArray<{ node: StoredNode; at: number }>, maxHops: number | null): Map<string, Label> {
  const heap = new MinHeap<Label>(less);
  const tentative = new Map<string, Label>();
  const final = new Map<string, Label>();
  const withinHops = (h: number) => maxHops === null || h <= maxHops;
  const offer = (l: Label) => {
    if (final.has(l.node)) return;
    const cur = tentative.get(l.node);
    if (cur && !less(l, cur)) return;
    tentative.set(l.node, l);
    heap.push(l);
  };
  const at = (id: string) => region.get(id)!;

  for (const s of seeds) {
    offer({ node: s.node.id, arrival: s.at, hops: 0, prev: '', tie: '', base: null, extra: [], rank: CONFIDENCE_RANK.confirmed });
    if (s.node.kind === 'Package' && withinHops(1)) {
      // A compromised Package (say, a hijacked project): every version published while it was,
      // from the seed's start until the package's containedAt (in the VERSION_OF step's bounds).
      for (const vs of at(s.node.id).steps) {
        if (vs.edge.kind !== 'VERSION_OF') continue;
        const pub = at(vs.to).publishedAt!;
        if (pub < s.at) continue;
        offer({ node: vs.to, arrival: pub, hops: 1, prev: s.node.id, tie: vs.edge.key, base: null, extra: [rawHop(s.node.id, vs, pub)], rank: vs.rank });
      }
    }
  }

  for (let l = heap.pop(); l !== undefined; l = heap.pop()) {
    if (final.has(l.node)) continue;
    final.set(l.node, l);
    if (!withinHops(l.hops + 1)) continue;
    const u = l.node;
    for (const s of at(u).steps) {
      if (s.edge.kind === 'VERSION_OF') continue; // crossed only by the publish rule
      const arrival = Math.max(l.arrival, s.lower);
      if (arrival > s.upper) continue;
      offer({ node: s.to, arrival, hops: l.hops + 1, prev: u, tie: s.edge.key, base: u, extra: [rawHop(u, s, arrival)], rank: s.rank });
      if (!s.publish || !withinHops(l.hops + 2)) continue;
      // Publish rule: versions of P published inside this credential's window.
      for (const vs of at(s.to).steps) {
        if (vs.edge.kind !== 'VERSION_OF') continue;
        const pub = at(vs.to).publishedAt!;
        if (pub < arrival || pub > s.upper) continue;
        offer({
          node: vs.to,
          arrival: pub,
          hops: l.hops + 2,
          prev: s.to,
          tie: `${vs.edge.key}\n${s.edge.key}`,
          base: u,
          extra: [rawHop(u, s, arrival), rawHop(s.to, vs, pub)],
          rank: Math.min(s.rank, vs.rank),
        });
      }
    }
  }
  return final;
}

function rawHop(from: string, step: RegionStep, arrival: number): RawHop {
  return { from, edge: step.edge, to: step.to, arrival };
}

function assemble(
  snapshotId: string,
  seeds: BlastSeed[],
  options: NormalisedOptions,
  region: ReadonlyMap<string, RegionNode>,
  chosen: ReadonlyMap<string, Label>,
  seedIds: ReadonlySet<string>,
): BlastRadius {
  // Paths and confidences in the order labels became final: a base is always final before the
  // nodes that extend it, so no recursion is needed.
  const paths = new Map<string, PathHop[]>();
  const ranks = new Map<string, number>();
  for (const [id, l] of chosen) {
    const prefix = l.base === null ? [] : paths.get(l.base)!;
    paths.set(id, prefix.concat(l.extra.map(toHop)));
    ranks.set(id, Math.min(l.base === null ? CONFIDENCE_RANK.confirmed : ranks.get(l.base)!, l.rank));
  }

  const affected: AffectedNode[] = [];
  for (const [id, l] of chosen) {
    if (seedIds.has(id)) continue;
    const node = region.get(id)!.node;
    affected.push({
      id,
      kind: node.kind,
      name: node.name,
      firstExposedAt: time(l.arrival),
      hops: l.hops,
      confidence: confidenceOf(ranks.get(id)!),
      path: paths.get(id)!,
    });
  }
  const order = (a: { arrival: number; id: string }, b: { arrival: number; id: string }) =>
    a.arrival !== b.arrival ? (a.arrival < b.arrival ? -1 : 1) : compareText(a.id, b.id);
  affected.sort((a, b) => order({ arrival: chosen.get(a.id)!.arrival, id: a.id }, { arrival: chosen.get(b.id)!.arrival, id: b.id }));

  // Every distinct reason per reached customer: each reached Dataset it BELONGS_TO and each reached
  // Service it USES, where that last hop can itself be crossed (time, filters, hop limit).
  const reasons = new Map<string, Array<{ via: string; arrival: number; hops: number; path: PathHop[] }>>();
  for (const [u, l] of chosen) {
    if (options.maxHops !== null && l.hops + 1 > options.maxHops) continue;
    for (const s of region.get(u)!.steps) {
      const target = region.get(s.to)!.node;
      if (target.kind !== 'Customer' || seedIds.has(s.to) || !chosen.has(s.to)) continue;
      const arrival = Math.max(l.arrival, s.lower);
      if (arrival > s.upper) continue;
      const list = reasons.get(s.to) ?? [];
      list.push({ via: u, arrival, hops: l.hops + 1, path: paths.get(u)!.concat(toHop(rawHop(u, s, arrival))) });
      reasons.set(s.to, list);
    }
  }
  const customers: AffectedCustomer[] = affected
    .filter((a) => a.kind === 'Customer')
    .map((a) => ({
      id: a.id,
      name: a.name,
      firstExposedAt: a.firstExposedAt,
      reasons: (reasons.get(a.id) ?? [])
        .sort((x, y) => (x.arrival !== y.arrival ? (x.arrival < y.arrival ? -1 : 1) : x.hops - y.hops || compareText(x.via, y.via)))
        .map((r) => ({ via: r.via, path: r.path })),
    }));
  if (customers.some((c) => c.reasons.length === 0)) {
    // Cannot happen: a customer's own label is one of its reasons.
    throw new BlastError('INTERNAL', 'a reached customer has no reason');
  }
  return { snapshotId, seeds, options, affected, customers };
}

function toHop(h: RawHop): PathHop {
  return { from: h.from, edge: h.edge.kind, to: h.to, arrival: time(h.arrival), sources: h.edge.sources };
}

function time(ms: number): string | null {
  return ms === -Infinity ? null : formatTime(ms);
}

function confidenceOf(rank: number): Confidence {
  return CONFIDENCES.find((c) => CONFIDENCE_RANK[c] === rank) ?? 'confirmed';
}
