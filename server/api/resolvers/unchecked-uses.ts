/** `uncheckedUses`: versions an advisory's ranges could not judge (server/ingest/unchecked-uses.ts). */
import { uncheckedUses, type UncheckedUse } from '../../ingest/unchecked-uses.js';
import type { ApiContext } from '../context.js';

export const uncheckedUsesResolvers = {
  Query: {
    uncheckedUses: async (_: unknown, args: { advisory: string }, ctx: ApiContext) => {
      const uses = await uncheckedUses(ctx.store, args.advisory, 'advisory');
      for (const u of uses) ctx.loaders.node.prime(u.version.id, u.version);
      return uses;
    },
  },
  UncheckedUse: {
    usedBy: async (use: UncheckedUse, _: unknown, ctx: ApiContext) => {
      const nodes = await ctx.loaders.node.loadMany(use.usedBy);
      return nodes.filter((n) => n !== null && !(n instanceof Error));
    },
  },
};
