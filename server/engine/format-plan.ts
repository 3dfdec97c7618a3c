/**
 * `blast plan --format table` (and the rotation queue's table): the plan for people. Plain text,
 * aligned columns, no trailing spaces, deterministic like the JSON.
 */
import type { ContainmentPlan } from './containment-plan.js';
import type { RotationQueue } from './rotation-queue.js';

export function formatPlanTable(plan: ContainmentPlan): string {
  const lines: string[] = [];
  const n = plan.actions.length;
  lines.push(`Containment plan at ${when(plan.at)} on ${plan.snapshotId}`);
  lines.push(`  ${n} action${n === 1 ? '' : 's'}, total cost ${plan.totalCost}, cuts off ${plan.customers.length} customer${plan.customers.length === 1 ? '' : 's'}`);
  lines.push('');
  if (n > 0) {
    const rows = plan.actions.map((a) => [a.action, a.node, a.edge === null ? '' : grantTarget(a.edge), String(a.cost), String(a.cuts.length), a.protects.join(', ')]);
    lines.push(...alignedTable(['ACTION', 'NODE', 'GRANT TO', 'COST', 'PATHS CUT', 'PROTECTS'], rows));
    lines.push('');
  }
  lines.push(`Cut off: ${list(plan.customers)}`);
  lines.push(`Already reached by then (no action at that time helps): ${list(plan.alreadyReached)}`);
  lines.push(`Reached through nothing an action can cut: ${list(plan.unprotectable)}`);
  lines.push(`Spared by acting then: ${plan.spared.customers.length} customers, ${plan.spared.assets.length} assets`);
  for (const id of [...plan.spared.customers, ...plan.spared.assets]) lines.push(`  ${id}`);
  return `${lines.join('\n')}\n`;
}

/** `cred:k|GRANTS|ds:d|read` -> `ds:d (read)`. */
function grantTarget(key: string): string {
  const [, , to, access] = key.split('|');
  return access ? `${to} (${access})` : (to ?? key);
}

function list(ids: readonly string[]): string {
  return ids.length === 0 ? 'none' : ids.join(', ');
}

/** `2026-03-19 17:43 UTC`; null is "unknown, as early as possible". */
export function when(iso: string | null): string {
  if (iso === null) return 'unknown (earliest)';
  return iso.replace('T', ' ').replace(/:00Z$|Z$/, ' UTC');
}

/** Left-aligned columns, two spaces apart, indented by two; the last column is not padded. */
export function alignedTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

/** `blast rotation-queue --format table`: most urgent first, one credential a line. */
export function formatRotationTable(queue: RotationQueue): string {
  const lines = [`Rotation queue on ${queue.snapshotId}: ${queue.credentials.length} credential${queue.credentials.length === 1 ? '' : 's'} to rotate`];
  if (queue.credentials.length > 0) {
    lines.push('');
    const rows = queue.credentials.map((c, i) => [
      String(i + 1),
      c.credential,
      when(c.firstExposedAt),
      c.deadline === null ? '-' : `${when(c.deadline)} (${c.deadlineCustomer})`,
      String(c.customers.length),
      c.heldBy.join(', ') || '-',
      c.opens.map((o) => (o.access ? `${o.id} (${o.access})` : o.id)).join(', ') || '-',
    ]);
    lines.push(...alignedTable(['#', 'CREDENTIAL', 'FIRST EXPOSED', 'NOTIFY BY', 'CUSTOMERS', 'HELD BY', 'OPENS'], rows));
  }
  return `${lines.join('\n')}\n`;
}
