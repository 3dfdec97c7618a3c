/** `blast stats [--format json]`: node and edge counts by kind, and the snapshotId. */
import type { Command } from 'commander';
import { EDGE_KINDS, NODE_KINDS } from '../../model/kinds.js';
import type { CliContext } from '../context.js';

export function registerStats(program: Command, ctx: CliContext): void {
  program
    .command('stats')
    .description('node and edge counts by kind, and the snapshotId')
    .option('--format <format>', 'text or json', 'text')
    .action(async (flags: { format: string }) => {
      const store = await ctx.openStore();
      const stats = await store.stats();
      if (flags.format === 'json') {
        ctx.out(`${JSON.stringify({ store: store.backend, ...stats }, null, 2)}\n`);
        return;
      }
      const rows: Array<[string, number]> = [
        ...NODE_KINDS.map((k): [string, number] => [k, stats.nodes[k] ?? 0]),
        ['nodes (total)', stats.totalNodes],
        ...EDGE_KINDS.map((k): [string, number] => [k, stats.edges[k] ?? 0]),
        ['edges (total)', stats.totalEdges],
      ];
      const width = Math.max(...rows.map(([k]) => k.length));
      ctx.out(`store     ${store.backend}\nsnapshot  ${stats.snapshotId}\n`);
      for (const [k, v] of rows) ctx.out(`${k.padEnd(width)}  ${String(v).padStart(8)}\n`);
    });
}
