/** `markCompromised` (role analyst): the engine's mark, recorded with an `api:markCompromised` source. */
import { markCompromised } from '../../engine/mark-compromised.js';
import type { ApiContext } from '../context.js';
import { mustLoad } from './node.js';

export const compromiseResolvers = {
  Mutation: {
    markCompromised: async (_: unknown, args: { id: string; at?: string | null; advisory?: string | null }, ctx: ApiContext) => {
      ctx.require('analyst', 'mark nodes compromised');
      const result = await markCompromised(ctx.store, { id: args.id, at: args.at, advisory: args.advisory }, { source: 'api:markCompromised', ingestedAt: ctx.now() });
      ctx.loaders.node.clear(result.id);
      return mustLoad(ctx, result.id);
    },
  },
};
