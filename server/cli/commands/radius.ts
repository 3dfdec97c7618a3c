/**
 * `blast radius [ID...]`: the blast radius of the given seeds (no ID: every node marked compromised).
 * JSON (the contract, 2-space indented, byte-identical for the same graph and options) or a table.
 */
import type { Command } from 'commander';
import { badInput } from '../../model/errors.js';
import { computeBlastRadius } from '../../engine/blast-radius.js';
import { formatTable } from '../../engine/format-table.js';
import { blastOptionsFromFlags, seedsFromFlags, withBlastFlags, type BlastFlags } from '../blast-flags.js';
import type { CliContext } from '../context.js';
import { startProgress } from '../progress.js';

interface RadiusFlags extends BlastFlags {
  format: string;
}

export function registerRadius(program: Command, ctx: CliContext): void {
  withBlastFlags(program.command('radius').description('every asset and customer a compromise could reach, when, and how (evidence paths)'))
    .option('--format <format>', 'json or table', 'json')
    .action(async (ids: string[], flags: RadiusFlags) => {
      if (flags.format !== 'json' && flags.format !== 'table') throw badInput(`unknown format "${flags.format}" (expected json or table)`, '--format');
      const options = blastOptionsFromFlags(flags);
      const store = await ctx.openStore();
      const progress = startProgress('radius', ctx.err, ctx.interactive);
      let output: string;
      try {
        progress.phase('seeds');
        const seeds = await seedsFromFlags(ids, flags, store);
        progress.phase('walking', `${seeds.length} seed(s)`);
        const result = await computeBlastRadius(store, seeds, options);
        if (flags.format === 'json') {
          output = `${JSON.stringify(result, null, 2)}\n`;
        } else {
          const ids = result.customers.map((c) => c.id);
          const nodes = await store.getNodes(ids);
          const customers = new Map(nodes.flatMap((n) => (n ? [[n.id, n] as const] : [])));
          output = formatTable(result, customers);
        }
      } finally {
        progress.done();
      }
      ctx.out(output);
    });
}
