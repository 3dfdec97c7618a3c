/**
 * `containmentPlan`: the engine's plan, unchanged (it already is the `blast plan --format json` shape);
 * the API adds only argument bounds and the current time.
 */
import { defaultSeeds, type BlastOptions, type SeedInput } from '../../engine/blast-radius.js';
import { computeContainmentPlan, type ActionKind } from '../../engine/containment-plan.js';
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
      return computeContainmentPlan(ctx.store, seeds, args.options ?? {}, { at: args.at ?? ctx.now(), customers: args.customers ?? null, costs });
    },
  },
};
