/**
 * `blast rotation-queue [ID...]`: every credential the radius reached that was not rotated or revoked
 * after its exposure, most urgent first (engine/rotation-queue.ts). JSON (2-space indented,
 * byte-identical for the same graph and options) or a table.
 */
import type { Command } from 'commander';
import { badInput } from '../../model/errors.js';
import { runBlastRadius } from '../../engine/blast-radius.js';
import { formatRotationTable } from '../../engine/format-plan.js';
import { rotationQueue } from '../../engine/rotation-queue.js';
import { blastOptionsFromFlags, seedsFromFlags, withBlastFlags, type BlastFlags } from '../blast-flags.js';
import type { CliContext } from '../context.js';
import { startProgress } from '../progress.js';

interface QueueFlags extends BlastFlags {
  format: string;
}

export function registerRotationQueue(program: Command, ctx: CliContext): void {
  withBlastFlags(program.command('rotation-queue').description('the credentials to rotate, most urgent first: by the earliest notification deadline behind each, then how many customers it leads to'))
    .option('--format <format>', 'json or table', 'json')
    .action(async (ids: string[], flags: QueueFlags) => {
      if (flags.format !== 'json' && flags.format !== 'table') throw badInput(`unknown format "${flags.format}" (expected json or table)`, '--format');
      const options = blastOptionsFromFlags(flags);
      const store = await ctx.openStore();
      const progress = startProgress('rotation-queue', ctx.err, ctx.interactive);
      let output: string;
      try {
        progress.phase('seeds');
        const seeds = await seedsFromFlags(ids, flags, store);
        if (seeds.length === 0) throw badInput('no seeds: give node ids, or mark nodes compromised first (blast compromise ID)', 'ids');
        progress.phase('walking', `${seeds.length} seed(s)`);
        const run = await runBlastRadius(store, seeds, options);
        const queue = await rotationQueue(store, await run.materialise(store), run.projection);
        output = flags.format === 'json' ? `${JSON.stringify(queue, null, 2)}\n` : formatRotationTable(queue);
      } finally {
        progress.done();
      }
      ctx.out(output);
    });
}
