/**
 * `blast unchecked ADVISORY`: the uses an advisory's ranges could not judge (a branch, a commit without
 * a `# vX` comment), with what uses each, for review. Same answer as GraphQL `uncheckedUses`.
 */
import type { Command } from 'commander';
import { badInput } from '../../model/errors.js';
import { uncheckedUses } from '../../ingest/unchecked-uses.js';
import type { CliContext } from '../context.js';

export function registerUnchecked(program: Command, ctx: CliContext): void {
  program
    .command('unchecked')
    .description('list the uses an advisory could not check (branches, commits without a version comment) and what uses them')
    .argument('<advisory>', 'the advisory id, e.g. osv:GHSA-69fq-xp46-6x23')
    .option('--format <format>', 'text or json', 'text')
    .action(async (advisory: string, flags: { format: string }) => {
      if (flags.format !== 'json' && flags.format !== 'text') throw badInput(`unknown format "${flags.format}" (expected text or json)`, '--format');
      const store = await ctx.openStore();
      const uses = await uncheckedUses(store, advisory, advisory);
      if (flags.format === 'json') {
        ctx.out(`${JSON.stringify(uses.map((u) => ({ version: u.version.id, usedBy: u.usedBy })), null, 2)}\n`);
        return;
      }
      if (uses.length === 0) ctx.out('no unchecked uses\n');
      for (const u of uses) ctx.out(`${u.version.id}\tused by ${u.usedBy.length > 0 ? u.usedBy.join(', ') : 'nothing recorded'}\n`);
    });
}
