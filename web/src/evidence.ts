/**
 * Evidence paths as graph elements: what "Why is this affected?" and a customer's focus highlight.
 */
import type { AffectedCustomer, BlastRadius, PathHop } from './types.js';
import { edgeId } from './view-graph.js';

export interface Highlight {
  /** Node ids on the path(s), seeds included, in walking order of first appearance. */
  nodes: string[];
  /** Edge ids (`from|KIND|to`, compromise direction), in walking order. */
  edges: string[];
}

/**
 * The drawn elements of one or more paths, deduplicated, in order. With an `alias` (a ViewGraph's,
 * when versions are collapsed or hidden) hops are mapped to what is drawn: a hop inside one
 * collapsed package disappears, and hidden versions are bridged exactly as version-groups bridges
 * them (last drawn node -> next drawn node, with the kind of the hop into the latter).
 */
export function pathElements(paths: ReadonlyArray<readonly PathHop[]>, alias?: ReadonlyMap<string, string | null>): Highlight {
  const nodes: string[] = [];
  const edges: string[] = [];
  const seenN = new Set<string>();
  const seenE = new Set<string>();
  const addN = (id: string) => {
    if (!seenN.has(id)) {
      seenN.add(id);
      nodes.push(id);
    }
  };
  const drawn = (id: string): string | null => (alias?.has(id) ? alias.get(id)! : id);
  for (const path of paths) {
    let last: string | null = null;
    for (const hop of path) {
      const from = drawn(hop.from);
      if (from !== null) last = from;
      const to = drawn(hop.to);
      if (to === null || last === null) continue;
      addN(last);
      addN(to);
      if (last !== to) {
        const id = edgeId(last, hop.edge, to);
        if (!seenE.has(id)) {
          seenE.add(id);
          edges.push(id);
        }
      }
      last = to;
    }
  }
  return { nodes, edges };
}

/** A node's own evidence path (empty for a seed or an unreached node). */
export function evidenceOf(result: BlastRadius, id: string): PathHop[] {
  return result.affected.find((a) => a.id === id)?.path ?? [];
}

/** Every reason's path of one customer: all the ways the compromise reaches it. */
export function customerPaths(customer: AffectedCustomer, alias?: ReadonlyMap<string, string | null>): Highlight {
  const h = pathElements(
    customer.reasons.map((r) => r.path),
    alias,
  );
  if (!h.nodes.includes(customer.id)) h.nodes.push(customer.id);
  return h;
}
