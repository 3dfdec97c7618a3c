/**
 * `blast radius --format table`: the result for people. Affected customers first, with the deadline
 * to notify them (first exposure + notifyWithinHours), then every other asset grouped by kind.
 * Plain text, aligned columns, no trailing spaces; deterministic like the JSON.
 */
import { NODE_KINDS } from '../model/kinds.js';
import { defaultName } from '../model/record.js';
import { formatTime } from '../model/time.js';
import type { Props } from '../model/types.js';
import type { BlastRadius } from './blast-result.js';

/**
 * What the table reads of a result: a whole BlastRadius, or a summary (BlastRun.tableInput) whose
 * paths hold only their last hop, which is all the table shows of them.
 */
export type TableInput = Omit<BlastRadius, 'affected' | 'customers'> & {
  affected: ReadonlyArray<Omit<BlastRadius['affected'][number], 'path'> & { path: ReadonlyArray<{ from: string }> }>;
  customers: ReadonlyArray<Omit<BlastRadius['customers'][number], 'reasons'> & { reasons: ReadonlyArray<{ via: string }> }>;
};

/**
 * @param customerNodes the reached customers' stored nodes (for `notifyWithinHours`), by id; a
 *   customer missing here gets no deadline.
 */
export function formatTable(result: TableInput, customerNodes: ReadonlyMap<string, { props: Props }> = new Map()): string {
  const lines: string[] = [];
  lines.push(`Blast radius of ${result.snapshotId}`);
  for (const s of result.seeds) {
    lines.push(`  seed ${s.id}  ${s.found ? `from ${when(s.at)}` : 'NOT FOUND: reaches nothing'}`);
  }
  lines.push(`  ${describeOptions(result)}`);
  lines.push('');

  const byId = new Map(result.affected.map((a) => [a.id, a]));
  lines.push(`Affected customers and partners: ${result.customers.length}`);
  if (result.customers.length > 0) {
    const rows = result.customers.map((c) => {
      const a = byId.get(c.id)!;
      const hours = customerNodes.get(c.id)?.props.notifyWithinHours;
      return [c.name.trim() === '' ? defaultName(c.id) : c.name, c.id, when(c.firstExposedAt), String(a.hops), a.confidence, deadline(c.firstExposedAt, hours), c.reasons.map((r) => r.via).join(', ')];
    });
    for (const line of table(['NAME', 'ID', 'FIRST EXPOSED', 'HOPS', 'CONFIDENCE', 'NOTIFY BY', 'VIA'], rows)) lines.push(line);
  }

  const assets = result.affected.filter((a) => a.kind !== 'Customer');
  lines.push('');
  lines.push(`Affected assets: ${assets.length}`);
  for (const kind of NODE_KINDS) {
    const ofKind = assets.filter((a) => a.kind === kind);
    if (ofKind.length === 0) continue;
    lines.push('');
    lines.push(`${kind} (${ofKind.length})`);
    // Never blank: a node nobody named shows the name derived from its id (`acme/key`, `litellm@1.82.8`).
    const rows = ofKind.map((a) => [a.id, a.name.trim() === '' ? defaultName(a.id) : a.name, when(a.firstExposedAt), String(a.hops), a.confidence, a.path.at(-1)?.from ?? '']);
    // A loop, not push(...rows): a kind of a million rows would overflow the call stack.
    for (const line of table(['ID', 'NAME', 'FIRST EXPOSED', 'HOPS', 'CONFIDENCE', 'FROM'], rows)) lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

function describeOptions(result: TableInput): string {
  const o = result.options;
  const parts = [
    `max hops ${o.maxHops ?? 'unlimited'}`,
    `min confidence ${o.minConfidence}`,
    `as of ${o.asOf ?? 'now'}`,
    `edges ${o.edgeKinds.join(',')}`,
  ];
  if (o.contained.length > 0) parts.push(`contained ${o.contained.map((c) => `${c.id}@${c.at}`).join(',')}`);
  return parts.join('; ');
}

/** `2026-03-19 17:43 UTC`; null is the engine's "unknown, as early as possible". */
function when(iso: string | null): string {
  if (iso === null) return 'unknown (earliest)';
  return iso.replace('T', ' ').replace(/:00Z$|Z$/, ' UTC');
}

function deadline(first: string | null, hours: unknown): string {
  if (typeof hours !== 'number' || !Number.isFinite(hours)) return '-';
  if (first === null) return `${hours}h after exposure (time unknown)`;
  return when(formatTime(Date.parse(first) + hours * 3_600_000));
}

function table(header: string[], rows: string[][]): string[] {
  // A loop, not Math.max(...rows): a radius of a million rows would overflow the call stack.
  const widths = header.map((h) => h.length);
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  const line = (cells: string[]) =>
    `  ${cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}
