/**
 * A neighbourhood (the API's `neighborhood`) as a ViewGraph. Edges keep their stored direction and
 * their own confidence. When a walk is loaded, nodes it reached carry their exposure; the rest are
 * context (drawn faded).
 */
import type { ApiEdge, ApiNode, Confidence } from './types.js';
import { edgeId, type ViewGraph, type ViewNode } from './view-graph.js';

/** What the walk knows of a node, to annotate a neighbourhood with. */
export type Reached = ReadonlyMap<string, Pick<ViewNode, 'seed' | 't' | 'firstExposedAt' | 'hops' | 'confidence'>>;

export function neighborhoodGraph(hood: { nodes: readonly ApiNode[]; edges: readonly ApiEdge[] }, reached: Reached = new Map()): ViewGraph {
  const ids = new Set(hood.nodes.map((n) => n.id));
  const nodes: ViewNode[] = hood.nodes.map((n) => {
    const r = reached.get(n.id);
    return {
      id: n.id,
      kind: n.kind,
      name: n.name,
      seed: r?.seed ?? false,
      reached: r !== undefined,
      t: r?.t ?? null,
      firstExposedAt: r?.firstExposedAt ?? null,
      hops: r?.hops ?? 0,
      confidence: r?.confidence ?? 'confirmed',
    };
  });
  const seen = new Set<string>();
  const edges = hood.edges
    .filter((e) => ids.has(e.from) && ids.has(e.to))
    .flatMap((e) => {
      const id = edgeId(e.from, e.kind, e.to);
      if (seen.has(id)) return [];
      seen.add(id);
      const confidence: Confidence = e.confidence ?? 'confirmed';
      return [{ id, from: e.from, to: e.to, kind: e.kind, t: null, arrival: null, h: 0, confidence, confidenceExact: true, compromiseDirection: false }];
    });
  return { nodes, edges };
}
