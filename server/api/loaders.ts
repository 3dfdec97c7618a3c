/**
 * Per-request batching: every node or edge list a resolver asks for within one tick becomes one store
 * call, so a page of 500 nodes with their edges and the nodes at the far ends costs a handful of calls,
 * not thousands. New loaders per request: nothing is cached across requests (or across callers).
 */
import DataLoader from 'dataloader';
import type { EdgeKind } from '../model/kinds.js';
import type { StoredEdge, StoredNode } from '../model/record.js';
import type { GraphStore } from '../store/graph-store.js';

export type Direction = 'out' | 'in' | 'both';

export interface Loaders {
  /** Nodes by id (null when absent). */
  node: DataLoader<string, StoredNode | null>;
  /** Edges touching a node, by direction and kinds; one loader per (direction, kinds) pair. */
  edges(direction: Direction, kinds?: readonly EdgeKind[] | null): DataLoader<string, StoredEdge[]>;
}

/** Ids per store call: big enough for a full page, small enough for one bounded query. */
const MAX_BATCH = 5000;

export function createLoaders(store: GraphStore): Loaders {
  const node = new DataLoader<string, StoredNode | null>((ids) => store.getNodes(ids), { maxBatchSize: MAX_BATCH });
  const edgeLoaders = new Map<string, DataLoader<string, StoredEdge[]>>();
  return {
    node,
    edges(direction, kinds) {
      const sorted = kinds ? [...new Set(kinds)].sort() : null;
      const key = `${direction}|${sorted?.join(',') ?? '*'}`;
      let loader = edgeLoaders.get(key);
      if (!loader) {
        loader = new DataLoader<string, StoredEdge[]>(
          async (ids) => {
            const edges = await store.edgesOf(ids, { direction, ...(sorted && { kinds: sorted }) });
            const byId = new Map<string, StoredEdge[]>(ids.map((id) => [id, []]));
            // The store returns edges ordered by key; pushing in that order keeps each list ordered.
            for (const e of edges) {
              if (direction !== 'in') byId.get(e.from)?.push(e);
              if (direction !== 'out' && e.to !== e.from) byId.get(e.to)?.push(e);
            }
            return ids.map((id) => byId.get(id)!);
          },
          { maxBatchSize: MAX_BATCH },
        );
        edgeLoaders.set(key, loader);
      }
      return loader;
    },
  };
}
