/**
 * A blast radius (the API's `blastRadius`, the CLI's JSON) as a ViewGraph: the seeds, every affected
 * node, and every hop of every evidence path (each affected node's and each customer reason's),
 * drawn in the compromise's direction. Since each node's path is its predecessor's path plus one hop,
 * the hops form a tree from the seeds, plus one extra edge per additional customer reason.
 */
import { CONFIDENCE_RANK, kindOfId, toMs, type BlastRadius, type Confidence, type NodeKind, type PathHop } from './types.js';
import { edgeId, type ViewEdge, type ViewGraph, type ViewNode } from './view-graph.js';

export interface SeedInfo {
  kind: NodeKind;
  name: string;
}

/** Earlier first; null (unknown, as early as possible) before any instant. */
export function compareTime(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a - b;
}

/**
 * Builds the walk's graph.
 * @param seedInfo kind and name of each seed (the result names seeds by id only); absent entries
 *   fall back to the id's prefix and the id itself.
 */
export function blastGraph(result: BlastRadius, seedInfo: ReadonlyMap<string, SeedInfo> = new Map()): ViewGraph {
  const nodes = new Map<string, ViewNode>();
  for (const s of result.seeds) {
    const info = seedInfo.get(s.id);
    nodes.set(s.id, {
      id: s.id,
      kind: info?.kind ?? kindOfId(s.id) ?? 'Service',
      name: info?.name ?? s.id,
      seed: true,
      reached: true,
      // Seeds are where the walk starts: shown from the first instant whatever their own start.
      t: null,
      firstExposedAt: s.at,
      hops: 0,
      confidence: 'confirmed',
    });
  }
  for (const a of result.affected) {
    if (nodes.has(a.id)) continue;
    nodes.set(a.id, {
      id: a.id,
      kind: a.kind,
      name: a.name,
      seed: false,
      reached: true,
      t: toMs(a.firstExposedAt),
      firstExposedAt: a.firstExposedAt,
      hops: a.hops,
      confidence: a.confidence,
    });
  }

  // Which hop ends each node's own (chosen) path: only there can a hop's confidence be derived.
  const chosen = new Set<string>();
  for (const a of result.affected) {
    const last = a.path[a.path.length - 1];
    if (last) chosen.add(edgeId(last.from, last.edge, last.to));
  }
  const edges = new Map<string, ViewEdge>();
  const addPath = (path: readonly PathHop[]) => {
    path.forEach((hop, i) => {
      const id = edgeId(hop.from, hop.edge, hop.to);
      const t = toMs(hop.arrival);
      const h = i + 1;
      const previous = edges.get(id);
      // The same edge on several paths: keep its earliest crossing.
      if (previous && (compareTime(previous.t, t) < 0 || (previous.t === t && previous.h <= h))) return;
      const { confidence, exact } = hopConfidence(hop, nodes.get(hop.from), nodes.get(hop.to), chosen.has(id));
      edges.set(id, {
        id,
        from: hop.from,
        to: hop.to,
        kind: hop.edge,
        t,
        arrival: hop.arrival,
        h,
        confidence,
        confidenceExact: exact,
        compromiseDirection: true,
      });
    });
  };
  for (const a of result.affected) addPath(a.path);
  for (const c of result.customers) for (const r of c.reasons) addPath(r.path);
  // A path may name a node the result does not list (it should not happen): add it as a stub so
  // no edge dangles.
  for (const e of edges.values()) {
    for (const id of [e.from, e.to]) {
      if (!nodes.has(id)) {
        nodes.set(id, { id, kind: kindOfId(id) ?? 'Service', name: id, seed: false, reached: true, t: e.t, firstExposedAt: e.arrival, hops: e.h, confidence: e.confidence });
      }
    }
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/**
 * A hop's own confidence. The API gives each node's path confidence (its weakest hop); when it also
 * gives each hop's (`Hop.confidence`), that is used. Otherwise, for a hop u -> v that ends v's own
 * path, conf(v) = min(conf(u), conf(hop)): when conf(v) < conf(u) the hop is the weak one and its
 * confidence is exactly conf(v); when both are `confirmed` so is the hop. In every other case the
 * hop is at least conf(v) and is drawn as confirmed (absent means confirmed in the data), with
 * `exact` false so the tooltip can say it is a lower bound.
 */
export function hopConfidence(
  hop: PathHop,
  from: { confidence: Confidence } | undefined,
  to: { confidence: Confidence } | undefined,
  endsOwnPath: boolean,
): { confidence: Confidence; exact: boolean } {
  if (hop.confidence) return { confidence: hop.confidence, exact: true };
  if (endsOwnPath && from && to) {
    if (CONFIDENCE_RANK[to.confidence] < CONFIDENCE_RANK[from.confidence]) return { confidence: to.confidence, exact: true };
    return { confidence: 'confirmed', exact: to.confidence === 'confirmed' };
  }
  return { confidence: 'confirmed', exact: false };
}
