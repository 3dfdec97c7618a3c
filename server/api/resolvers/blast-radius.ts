/**
 * `blastRadius`: the engine's answer, unchanged. The engine's result already is the contract shape
 * (the CLI prints it with JSON.stringify), so the API adds only argument bounds and the `node` links.
 */
import { computeBlastRadius, defaultSeeds, type AffectedCustomer, type AffectedNode, type BlastOptions, type BlastRadius, type SeedInput } from '../../engine/blast-radius.js';
import type { ApiContext } from '../context.js';
import { listArg } from './args.js';

/** The blast radius of `seeds` (none: every node marked compromised) with `options`. */
export async function blastRadiusOf(ctx: ApiContext, seeds: readonly SeedInput[] | null | undefined, options: BlastOptions | null | undefined): Promise<BlastRadius> {
  const given = listArg(seeds, ctx.limits.maxSeeds, 'seeds');
  listArg(options?.contained, ctx.limits.maxSeeds, 'options.contained');
  const used = given && given.length > 0 ? given : await defaultSeeds(ctx.store);
  return computeBlastRadius(ctx.store, used, options ?? {});
}

export const blastRadiusResolvers = {
  Query: {
    blastRadius: (_: unknown, args: { seeds?: SeedInput[] | null; options?: BlastOptions | null }, ctx: ApiContext) =>
      blastRadiusOf(ctx, args.seeds, args.options),
  },
  Affected: {
    node: (a: AffectedNode, _: unknown, ctx: ApiContext) => ctx.loaders.node.load(a.id),
  },
  AffectedCustomer: {
    node: (c: AffectedCustomer, _: unknown, ctx: ApiContext) => ctx.loaders.node.load(c.id),
  },
};
