/** `rotationQueue`: the engine's queue, unchanged (the `blast rotation-queue --format json` shape). */
import { type BlastOptions, type SeedInput } from '../../engine/blast-radius.js';
import { rotationQueue } from '../../engine/rotation-queue.js';
import type { ApiContext } from '../context.js';
import { blastRadiusOf } from './blast-radius.js';

export const rotationQueueResolvers = {
  Query: {
    rotationQueue: async (_: unknown, args: { seeds?: SeedInput[] | null; options?: BlastOptions | null }, ctx: ApiContext) =>
      rotationQueue(ctx.store, await blastRadiusOf(ctx, args.seeds, args.options)),
  },
};
