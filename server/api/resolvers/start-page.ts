/** `compromisedNodes`: what is marked compromised now, for the explorer's start page. */
import type { ApiContext } from '../context.js';
import { intArg } from './args.js';

export const startPageResolvers = {
  Query: {
    compromisedNodes: async (_: unknown, args: { first?: number | null }, ctx: ApiContext) => {
      const first = intArg(args.first, 200, 1, 1000, 'first');
      const all = await ctx.store.compromisedNodes();
      const nodes = all.slice(0, first);
      for (const n of nodes) ctx.loaders.node.prime(n.id, n);
      return { total: all.length, nodes };
    },
  },
};
