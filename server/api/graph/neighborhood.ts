/**
 * The nodes within k hops of a node (either edge direction) and the edges among them, walked
 * frontier by frontier through GraphStore.edgesOf: one store call per hop plus one for the edges
 * among the outermost ring. Bounded by a node limit; deterministic (frontiers and edges in key order).
 */
import type { EdgeKind } from '../../model/kinds.js';
import type { StoredEdge } from '../../model/record.js';
import type { GraphStore } from '../../store/graph-store.js';

export interface NeighborhoodResult {
  /** Node ids, the centre first, then by hops and id. */
  ids: string[];
  /** Edges with both ends among `ids`, ordered by key. */
  edges: StoredEdge[];
  truncated: boolean;
}

export async function neighborhood(
  store: Pick<GraphStore, 'edgesOf'>,
  center: string,
  opts: {
    hops: number;
    edgeKinds?: readonly EdgeKind[] | null;
    maxNodes: number;
    /** Called before every store call; throws to stop the walk (the request's deadline passed). */
    check?: () => void;
  },
): Promise<NeighborhoodResult> {
  const kinds = opts.edgeKinds ? { kinds: opts.edgeKinds } : {};
  const seen = new Set<string>([center]);
  const ids = [center];
  const edges = new Map<string, StoredEdge>();
  let frontier = [center];
  let truncated = false;
  for (let hop = 0; hop < opts.hops && frontier.length > 0 && !truncated; hop++) {
    opts.check?.();
    const found = await store.edgesOf(frontier, { direction: 'both', ...kinds });
    const next: string[] = [];
    for (const e of found) {
      for (const id of [e.from, e.to]) {
        if (seen.has(id)) continue;
        if (seen.size >= opts.maxNodes) {
          truncated = true;
          continue;
        }
        seen.add(id);
        next.push(id);
      }
      if (seen.has(e.from) && seen.has(e.to)) edges.set(e.key, e);
    }
    next.sort(compareText);
    ids.push(...next);
    frontier = next;
  }
  // Edges between two nodes of the outermost ring were not seen yet.
  if (frontier.length > 0) {
    opts.check?.();
    for (const e of await store.edgesOf(frontier, { direction: 'both', ...kinds })) {
      if (seen.has(e.from) && seen.has(e.to)) edges.set(e.key, e);
    }
  }
  return { ids, edges: [...edges.values()].sort((a, b) => compareText(a.key, b.key)), truncated };
}

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
