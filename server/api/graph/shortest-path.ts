/**
 * A shortest path between two nodes, ignoring edge direction: a bidirectional breadth-first search
 * through GraphStore.edgesOf, expanding the smaller frontier one whole level at a time (one store call
 * per level), so the work grows with the graph around the two ends, not with the whole graph.
 * Deterministic: frontiers are expanded in id order and edges in key order; among equally short
 * paths the one through the smallest meeting id wins.
 */
import { BlastError } from '../../model/errors.js';
import type { EdgeKind } from '../../model/kinds.js';
import type { StoredEdge } from '../../model/record.js';
import type { GraphStore } from '../../store/graph-store.js';
import { compareText } from './neighborhood.js';

export interface PathResult {
  /** Node ids along the path, `from` first. */
  ids: string[];
  /** Edges in walking order; `steps[i]` joins ids[i] and ids[i+1]. */
  steps: StoredEdge[];
}

interface Side {
  /** id -> [previous id, edge] towards this side's origin. */
  parent: Map<string, { prev: string; edge: StoredEdge } | null>;
  dist: Map<string, number>;
  frontier: string[];
  depth: number;
}

export async function shortestPath(
  store: Pick<GraphStore, 'edgesOf'>,
  from: string,
  to: string,
  opts: {
    maxHops: number;
    edgeKinds?: readonly EdgeKind[] | null;
    maxVisited: number;
    /** Called before every store call; throws to stop the search (the request's deadline passed). */
    check?: () => void;
  },
): Promise<PathResult | null> {
  if (from === to) return { ids: [from], steps: [] };
  const kinds = opts.edgeKinds ? { kinds: opts.edgeKinds } : {};
  const side = (origin: string): Side => ({ parent: new Map([[origin, null]]), dist: new Map([[origin, 0]]), frontier: [origin], depth: 0 });
  const a = side(from);
  const b = side(to);
  while (a.depth + b.depth < opts.maxHops && a.frontier.length > 0 && b.frontier.length > 0) {
    // Expand the smaller frontier: both searches stay as small as the graph around their end allows.
    const [grow, other] = a.frontier.length <= b.frontier.length ? [a, b] : [b, a];
    opts.check?.();
    const edges = await store.edgesOf(grow.frontier, { direction: 'both', ...kinds });
    const inFrontier = new Set(grow.frontier);
    const added: string[] = [];
    for (const e of edges) {
      for (const [here, there] of [[e.from, e.to], [e.to, e.from]] as const) {
        if (!inFrontier.has(here) || grow.parent.has(there)) continue;
        grow.parent.set(there, { prev: here, edge: e });
        grow.dist.set(there, grow.depth + 1);
        added.push(there);
      }
    }
    grow.depth++;
    grow.frontier = added.sort(compareText);
    if (a.parent.size + b.parent.size > opts.maxVisited) {
      throw new BlastError('TOO_LARGE', `the path search visited more than ${opts.maxVisited} nodes; narrow it with edgeKinds or maxHops`, { input: 'path' });
    }
    let best: { id: string; length: number } | null = null;
    for (const id of added) {
      const d = other.dist.get(id);
      if (d === undefined) continue;
      const length = grow.depth + d;
      if (!best || length < best.length || (length === best.length && compareText(id, best.id) < 0)) best = { id, length };
    }
    if (best) return join(a, b, best.id);
  }
  return null;
}

/** Walks both parent chains from the meeting node: from -> meet -> to. */
function join(a: Side, b: Side, meet: string): PathResult {
  const ids = [meet];
  const steps: StoredEdge[] = [];
  for (let p = a.parent.get(meet); p; p = a.parent.get(p.prev)) {
    ids.unshift(p.prev);
    steps.unshift(p.edge);
  }
  for (let p = b.parent.get(meet); p; p = b.parent.get(p.prev)) {
    ids.push(p.prev);
    steps.push(p.edge);
  }
  return { ids, steps };
}
