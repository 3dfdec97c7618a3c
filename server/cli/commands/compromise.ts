/** `blast compromise ID [--at TIME] [--advisory ID]`: marks an existing node compromised. */
import type { Command } from 'commander';
import { badInput } from '../../model/errors.js';
import { markCompromised } from '../../engine/mark-compromised.js';
import type { CliContext } from '../context.js';

export function registerCompromise(program: Command, ctx: CliContext): void {
  program
    .command('compromise')
    .description('mark an existing node compromised; it then seeds `blast radius` without ids')
    .argument('<id>', 'the node id')
    .option('--at <time>', 'when the compromise started (default: keep a stored compromisedAt, else unknown)')
    .option('--advisory <id>', 'an advisory to record, e.g. osv:MAL-2026-2144')
    .option('--format <format>', 'summary format: text or json', 'text')
    .action(async (id: string, flags: { at?: string; advisory?: string; format: string }) => {
      if (flags.format !== 'json' && flags.format !== 'text') throw badInput(`unknown format "${flags.format}" (expected text or json)`, '--format');
      const store = await ctx.openStore();
      const result = await markCompromised(store, { id, at: flags.at, advisory: flags.advisory }, { source: 'mark:cli' });
      if (flags.format === 'json') {
        ctx.out(`${JSON.stringify(result, null, 2)}\n`);
        return;
      }
      const since = result.compromisedAt ? `since ${result.compromisedAt}` : 'since an unknown time';
      const advisories = result.advisories.length > 0 ? `; advisories ${result.advisories.join(', ')}` : '';
      const n = result.summary.nodes;
      const changed = n.added + n.updated === 0 ? ' (already marked so)' : '';
      ctx.out(`${result.id} marked compromised ${since}${advisories}${changed}\nsnapshot ${result.summary.snapshotId}\n`);
    });
}
