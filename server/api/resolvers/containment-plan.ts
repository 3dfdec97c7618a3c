/**
 * `containmentPlan`: the engine's plan, unchanged (it already is the `blast plan --format json` shape);
 * the API adds only argument bounds and the current time, and searches the radius on its worker pool.
 */
import { defaultSeeds, type BlastOptions, type SeedInput } from '../../engine/blast-radius.js';
import { normalisePlanInput, planFromRadius, type ActionKind } from '../../engine/containment-plan.js';
import type { ApiContext } from '../context.js';
import { listArg } from './args.js';

interface PlanArgs {
  seeds?: SeedInput[] | null;
  options?: BlastOptions | null;
  at?: string | null;
  customers?: string[] | null;
  costs?: Partial<Record<ActionKind, number | null>> | null;
}

export const containmentPlanResolvers = {
  Query: {
    containmentPlan: async (_: unknown, args: PlanArgs, ctx: ApiContext) => {
      const given = listArg(args.seeds, ctx.limits.maxSeeds, 'seeds');
      listArg(args.options?.contained, ctx.limits.maxSeeds, 'options.contained');
      listArg(args.customers, ctx.limits.maxSeeds, 'customers');
      const seeds = given && given.length > 0 ? given : await defaultSeeds(ctx.store);
      // GraphQL sends null for an unset field: null keeps the default.
      const costs = Object.fromEntries(Object.entries(args.costs ?? {}).filter(([, v]) => v !== null && v !== undefined)) as Partial<Record<ActionKind, number>>;
      const input = normalisePlanInput({ at: args.at ?? ctx.now(), customers: args.customers ?? null, costs });
      // The radius is searched on the engine's worker pool (as blastRadius is), not on the HTTP thread.
      const run = await ctx.engine.run(ctx.store, seeds, args.options ?? {}, ctx.budget.signal);
      return planFromRadius(ctx.store, await run.materialise(ctx.store), input, run.projection);
    },
  },
};
