/** `rotationQueue`: the engine's queue, unchanged (the `blast rotation-queue --format json` shape). */
import { defaultSeeds, type BlastOptions, type SeedInput } from '../../engine/blast-radius.js';
import { rotationQueue } from '../../engine/rotation-queue.js';
import type { ApiContext } from '../context.js';
import { listArg } from './args.js';

export const rotationQueueResolvers = {
  Query: {
    rotationQueue: async (_: unknown, args: { seeds?: SeedInput[] | null; options?: BlastOptions | null }, ctx: ApiContext) => {
      const given = listArg(args.seeds, ctx.limits.maxSeeds, 'seeds');
      listArg(args.options?.contained, ctx.limits.maxSeeds, 'options.contained');
      const seeds = given && given.length > 0 ? given : await defaultSeeds(ctx.store);
      // The radius is searched on the engine's worker pool (as blastRadius is), not on the HTTP thread.
      const run = await ctx.engine.run(ctx.store, seeds, args.options ?? {}, ctx.budget.signal);
      return rotationQueue(ctx.store, await run.materialise(ctx.store), run.projection);
    },
  },
};
