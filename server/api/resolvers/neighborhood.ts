/** `neighborhood`: a bounded subgraph around one node. */
import type { EdgeKind } from '../../model/kinds.js';
import type { ApiContext } from '../context.js';
import { neighborhood } from '../graph/neighborhood.js';
import { idArg, intArg } from './args.js';
import { mustLoad } from './node.js';

export const neighborhoodResolvers = {
  Query: {
    neighborhood: async (_: unknown, args: { id: string; hops?: number | null; edgeKinds?: EdgeKind[] | null }, ctx: ApiContext) => {
      const id = idArg(args.id, 'id');
      const hops = intArg(args.hops, 1, 1, ctx.limits.maxNeighborhoodHops, 'hops');
      const center = await ctx.loaders.node.load(id);
      if (!center) return null;
      const found = await neighborhood(ctx.store, id, { hops, edgeKinds: args.edgeKinds, maxNodes: ctx.limits.maxNeighborhoodNodes, check: () => ctx.budget.check() });
      ctx.budget.charge(found.ids.length + found.edges.length, 'neighborhood');
      // One getNodes call for the whole set; Edge.fromNode/toNode then hit the loader's cache.
      const nodes = await Promise.all(found.ids.map((n) => mustLoad(ctx, n)));
      return { center, nodes, edges: found.edges, truncated: found.truncated };
    },
  },
};
