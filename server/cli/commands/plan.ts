/**
 * `blast plan [ID...] [--at T] [--customers ID,...] [--cost KIND=N,...] [--format json|table]`: the
 * cheapest actions (rotate a credential, contain a service, revoke a grant) that, applied at T, cut
 * the customers off (engine/containment-plan.ts). JSON is the contract (2-space indented,
 * byte-identical for the same graph, options and T).
 */
import type { Command } from 'commander';
import { badInput } from '../../model/errors.js';
import { ACTION_KINDS, MAX_ACTION_COST, computeContainmentPlan, type ActionKind } from '../../engine/containment-plan.js';
import { formatPlanTable } from '../../engine/format-plan.js';
import { blastOptionsFromFlags, seedsFromFlags, timeFlag, type BlastFlags } from '../blast-flags.js';
import type { CliContext } from '../context.js';
import { CONFIDENCES } from '../../model/kinds.js';
import { PROPAGATING_EDGE_KINDS } from '../../engine/blast-options.js';
import { startProgress } from '../progress.js';

interface PlanFlags extends Omit<BlastFlags, 'at'> {
  at?: string;
  compromisedAt?: string;
  customers?: string;
  cost?: string;
  format: string;
}

export function registerPlan(program: Command, ctx: CliContext): void {
  program
    .command('plan')
    .description('the cheapest actions (rotate, contain, revoke) that, applied at a time, cut the affected customers off')
    .argument('[ids...]', 'compromised node ids (default: every node marked compromised, each at its own compromisedAt)')
    .option('--at <time>', 'when the actions are applied (default: now); a past time answers "what if we had done it then"')
    .option('--customers <ids>', 'comma-separated customers to cut off (default: every reached customer not yet reached at --at)')
    .option('--cost <kind=n,...>', `cost per action kind, whole numbers 1-${MAX_ACTION_COST} (default revoke=1,rotate=2,contain=3)`)
    .option('--compromised-at <time>', 'when the given ids were compromised (default: their compromisedAt, else publishedAt, else unknown)')
    .option('--max-hops <n>', 'longest path to follow, in hops')
    .option('--min-confidence <c>', `weakest edge confidence to cross: ${CONFIDENCES.join(', ')}`)
    .option('--as-of <time>', 'ignore what was first ingested after this time')
    .option('--edge-kinds <kinds>', `comma-separated edge kinds to follow (default all: ${PROPAGATING_EDGE_KINDS.join(',')})`)
    .option('--contain <id@time>', 'treat a node as contained from a time (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--format <format>', 'json or table', 'json')
    .action(async (ids: string[], flags: PlanFlags) => {
      if (flags.format !== 'json' && flags.format !== 'table') throw badInput(`unknown format "${flags.format}" (expected json or table)`, '--format');
      const options = blastOptionsFromFlags({ ...flags, at: undefined });
      const at = flags.at === undefined ? undefined : timeFlag(flags.at, '--at');
      const costs = costsFromFlag(flags.cost);
      const customers = flags.customers === undefined ? undefined : listFlag(flags.customers, '--customers');
      const store = await ctx.openStore();
      const progress = startProgress('plan', ctx.err, ctx.interactive);
      let output: string;
      try {
        progress.phase('seeds');
        if (flags.compromisedAt !== undefined && ids.length === 0) throw badInput('--compromised-at applies to the given ids; give at least one', '--compromised-at');
        const seeds = await seedsFromFlags(ids, { ...flags, at: flags.compromisedAt === undefined ? undefined : flags.compromisedAt }, store);
        if (seeds.length === 0) throw badInput('no seeds: give node ids, or mark nodes compromised first (blast compromise ID)', 'ids');
        progress.phase('planning', `${seeds.length} seed(s)`);
        const plan = await computeContainmentPlan(store, seeds, options, { at, customers, costs });
        output = flags.format === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : formatPlanTable(plan);
      } finally {
        progress.done();
      }
      ctx.out(output);
    });
}

/** `rotate=5,contain=10` -> { rotate: 5, contain: 10 }. */
export function costsFromFlag(value: string | undefined): Partial<Record<ActionKind, number>> | undefined {
  if (value === undefined) return undefined;
  const costs: Partial<Record<ActionKind, number>> = {};
  for (const part of listFlag(value, '--cost')) {
    const m = /^([a-z]+)=(\d{1,9})$/.exec(part.toLowerCase());
    if (!m || !(ACTION_KINDS as readonly string[]).includes(m[1]!)) {
      throw badInput(`"${part}" is not KIND=N with KIND one of ${ACTION_KINDS.join(', ')} and N a whole number`, '--cost');
    }
    const n = Number(m[2]);
    if (n < 1 || n > MAX_ACTION_COST) throw badInput(`the cost of ${m[1]} must be from 1 to ${MAX_ACTION_COST}, not ${n}`, '--cost');
    costs[m[1] as ActionKind] = n;
  }
  return costs;
}

function listFlag(value: string, flag: string): string[] {
  const items = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw badInput('an empty list', flag);
  return items;
}
