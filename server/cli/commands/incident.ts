/**
 * `blast incident diff ID [--since REVISION]`: what changed in an incident's answer since a revision
 * (default: since nothing). An open incident is first re-evaluated on the graph as it is, storing a
 * revision when its answer changed, so changes made while no server was watching are included.
 */
import type { Command } from 'commander';
import { BlastError, badInput } from '../../model/errors.js';
import { parseIdOfKind } from '../../model/ids.js';
import { currentTime } from '../../engine/containment-plan.js';
import { diffSince, evaluateIncident, isOpen, type DiffPart, type RevisionDiff } from '../../engine/incident-revisions.js';
import type { CliContext } from '../context.js';

interface DiffFlags {
  since?: string;
  format: string;
}

export function registerIncident(program: Command, ctx: CliContext): void {
  const incident = program.command('incident').description('saved incidents');
  incident
    .command('diff')
    .description('what changed in an incident\'s blast radius since a revision: nodes and customers newly affected, no longer affected, first exposed at another time')
    .argument('<id>', 'the incident id (inc:...)')
    .option('--since <revision>', 'the revision to compare with (default 0: everything since nothing)')
    .option('--format <format>', 'json or table', 'table')
    .action(async (raw: string, flags: DiffFlags) => {
      if (flags.format !== 'json' && flags.format !== 'table') throw badInput(`unknown format "${flags.format}" (expected json or table)`, '--format');
      const id = parseIdOfKind(raw, 'Incident', 'ID');
      if (flags.since !== undefined && !/^\d{1,9}$/.test(flags.since)) throw badInput(`"${flags.since}" is not a revision number`, '--since');
      const store = await ctx.openStore();
      let [node] = await store.getNodes([id]);
      if (!node || node.kind !== 'Incident') throw new BlastError('NOT_FOUND', 'no such incident', { input: id });
      if (isOpen(node)) {
        const stored = await evaluateIncident(store, node, currentTime());
        if (stored) [node] = await store.getNodes([id]);
      }
      const result = diffSince(node!, flags.since === undefined ? 0 : Number(flags.since));
      ctx.out(flags.format === 'json' ? `${JSON.stringify({ incident: id, ...result }, null, 2)}\n` : table(id, result));
    });
}

function table(id: string, r: ReturnType<typeof diffSince>): string {
  const lines = [`${id}: revision ${r.latest}, compared with ${r.since === 0 ? 'nothing (every answer so far)' : `revision ${r.since}`}`];
  for (const rev of r.revisions) lines.push(`  revision ${rev.revision} at ${rev.at} on ${rev.snapshotId}: ${summary(rev.diff)}`);
  lines.push('');
  part(lines, 'Customers', r.diff.customers);
  part(lines, 'Nodes', r.diff.nodes);
  return `${lines.join('\n')}\n`;
}

function summary(d: RevisionDiff): string {
  const n = (p: DiffPart) => `+${p.added.length} -${p.removed.length} ~${p.moved.length}`;
  return `customers ${n(d.customers)}, nodes ${n(d.nodes)}`;
}

function part(lines: string[], title: string, p: DiffPart): void {
  lines.push(`${title}: ${p.added.length} newly affected, ${p.removed.length} no longer affected, ${p.moved.length} first exposed at another time`);
  for (const a of p.added) lines.push(`  + ${a.id}  ${a.firstExposedAt ?? 'unknown (earliest)'}`);
  for (const a of p.removed) lines.push(`  - ${a.id}  was ${a.firstExposedAt ?? 'unknown (earliest)'}`);
  for (const m of p.moved) lines.push(`  ~ ${m.id}  ${m.from ?? 'unknown (earliest)'} -> ${m.to ?? 'unknown (earliest)'}`);
}
