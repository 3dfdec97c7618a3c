/** `stats` and the admin-only `resetGraph`. */
import { BlastError } from '../../model/errors.js';
import type { ApiContext } from '../context.js';

async function stats(ctx: ApiContext) {
  return { store: ctx.store.backend, ...(await ctx.store.stats()) };
}

export const adminResolvers = {
  Query: {
    stats: (_: unknown, __: unknown, ctx: ApiContext) => stats(ctx),
  },
  Mutation: {
    resetGraph: async (_: unknown, args: { confirmSnapshotId: string }, ctx: ApiContext) => {
      ctx.require('admin', 'reset the graph');
      const current = await ctx.store.snapshotId();
      if (args.confirmSnapshotId !== current) {
        throw new BlastError('CONFLICT', `the graph is at ${current}, not the snapshot given; read stats and try again`, { input: 'confirmSnapshotId' });
      }
      await ctx.store.clear();
      return stats(ctx);
    },
  },
};
