/**
 * `blast radius [ID...]`: the blast radius of the given seeds (no ID: every node marked compromised).
 * JSON (the contract, 2-space indented, byte-identical for the same graph and options), written as a
 * stream a few thousand nodes at a time, or a table. An answer whose paths would print more than
 * `--max-path-hops` hops is refused before anything is printed (LIMIT_EXCEEDED): paths grow with the
 * square of a long chain's length.
 */
import type { Command } from 'commander';
import { BlastError, badInput } from '../../model/errors.js';
import { runBlastRadius } from '../../engine/blast-radius.js';
import { formatTable } from '../../engine/format-table.js';
import { blastOptionsFromFlags, seedsFromFlags, withBlastFlags, type BlastFlags } from '../blast-flags.js';
import type { CliContext } from '../context.js';
import { startProgress } from '../progress.js';

/** Most path hops `--format json` prints. @default 20,000,000 (BLAST_MAX_PATH_HOPS) */
export const MAX_PATH_HOPS = Number(process.env.BLAST_MAX_PATH_HOPS) || 20_000_000;

interface RadiusFlags extends BlastFlags {
  format: string;
  maxPathHops?: string;
}

export function registerRadius(program: Command, ctx: CliContext): void {
  withBlastFlags(program.command('radius').description('every asset and customer a compromise could reach, when, and how (evidence paths)'))
    .option('--format <format>', 'json or table', 'json')
    .option('--max-path-hops <n>', `refuse a JSON answer whose paths would print more hops than this (default ${MAX_PATH_HOPS}, BLAST_MAX_PATH_HOPS)`)
    .action(async (ids: string[], flags: RadiusFlags) => {
      if (flags.format !== 'json' && flags.format !== 'table') throw badInput(`unknown format "${flags.format}" (expected json or table)`, '--format');
      let limit = MAX_PATH_HOPS;
      if (flags.maxPathHops !== undefined) {
        if (!/^\d{1,15}$/.test(flags.maxPathHops)) throw badInput(`"${flags.maxPathHops}" is not a non-negative integer`, '--max-path-hops');
        limit = Number(flags.maxPathHops);
      }
      const options = blastOptionsFromFlags(flags);
      const store = await ctx.openStore();
      const progress = startProgress('radius', ctx.err, ctx.interactive);
      try {
        progress.phase('seeds');
        const seeds = await seedsFromFlags(ids, flags, store);
        progress.phase('projection');
        const run = await runBlastRadius(store, seeds, options, {
          onStep: (step) => progress.phase(step === 'loading' ? 'loading the projection' : 'building the projection (once per graph version)'),
        });
        progress.phase('walked', `${run.affectedCount} affected`);
        if (flags.format === 'table') {
          const customers = await store.getNodes(run.customerRefs().map((c) => run.projection.id(c.node)));
          const byId = new Map(customers.flatMap((n) => (n ? [[n.id, n] as const] : [])));
          ctx.out(formatTable(run.tableInput(), byId));
          return;
        }
        const hops = run.pathHopTotal();
        if (hops > limit) {
          throw new BlastError(
            'LIMIT_EXCEEDED',
            `the answer's evidence paths would print ${hops} hops, over the limit of ${limit} (--max-path-hops, BLAST_MAX_PATH_HOPS); ` +
              'use --format table, or narrow it with --max-hops',
            { input: '--max-path-hops' },
          );
        }
        progress.phase('writing');
        for await (const piece of run.json(store)) await ctx.write(piece);
        await ctx.write('\n');
      } finally {
        progress.done();
      }
    });
}
