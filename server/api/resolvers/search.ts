/** `search`: the store's full-text index over ids and names. */
import { BlastError } from '../../model/errors.js';
import type { NodeKind } from '../../model/kinds.js';
import type { ApiContext } from '../context.js';
import { intArg } from './args.js';

const MAX_TEXT = 500;

export const searchResolvers = {
  Query: {
    search: async (_: unknown, args: { text: string; kinds?: NodeKind[] | null; first?: number | null }, ctx: ApiContext) => {
      const first = intArg(args.first, 20, 1, ctx.limits.maxSearchResults, 'first');
      if (args.text.length > MAX_TEXT) throw new BlastError('BAD_INPUT', `at most ${MAX_TEXT} characters`, { input: 'text' });
      const nodes = await ctx.store.search({ text: args.text, first, ...(args.kinds && { kinds: args.kinds }) });
      for (const n of nodes) ctx.loaders.node.prime(n.id, n);
      return nodes;
    },
  },
};
