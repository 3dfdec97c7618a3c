/** affected.csv, customers.csv and paths.csv (RFC 4180, formula-safe: see csv.ts). */
import { toCsv, type CsvValue } from './csv.js';
import { containedAt, type ExportModel } from './export-model.js';

/** Several values in one cell (a hop cited by more than one record) are joined with this. */
export const MULTI_VALUE_SEPARATOR = '; ';

export const AFFECTED_COLUMNS = ['id', 'kind', 'name', 'first_exposed_at', 'hops', 'confidence', 'reached_from', 'reached_by_edge', 'contained_at'] as const;

export function affectedCsv(model: ExportModel): string {
  return toCsv(
    AFFECTED_COLUMNS,
    model.result.affected.map((a): CsvValue[] => {
      const last = a.path.at(-1);
      return [a.id, a.kind, a.name, a.firstExposedAt, a.hops, a.confidence, last?.from, last?.edge, containedAt(model.nodes.get(a.id))];
    }),
  );
}

export const CUSTOMER_COLUMNS = ['id', 'name', 'first_exposed_at', 'notify_within_hours', 'notification_deadline', 'jurisdiction', 'contact', 'exposed_via'] as const;

export function customersCsv(model: ExportModel): string {
  return toCsv(
    CUSTOMER_COLUMNS,
    model.customers.map((c): CsvValue[] => [
      c.id,
      c.name,
      c.firstExposedAt,
      c.notifyWithinHours,
      c.deadline,
      c.jurisdiction,
      c.contact,
      c.exposures.map((e) => e.id).join(MULTI_VALUE_SEPARATOR),
    ]),
  );
}

export const PATH_COLUMNS = ['affected_id', 'hop', 'from', 'edge', 'to', 'arrival', 'source', 'source_pointer', 'source_sha256', 'source_ingested_at'] as const;

/** One row per hop of every affected node's path (hop numbered from 1); a hop's sources share a row. */
export function pathsCsv(model: ExportModel): string {
  const rows: CsvValue[][] = [];
  for (const a of model.result.affected) {
    a.path.forEach((h, i) => {
      const join = (f: (s: (typeof h.sources)[number]) => string) => h.sources.map(f).join(MULTI_VALUE_SEPARATOR);
      rows.push([a.id, i + 1, h.from, h.edge, h.to, h.arrival, join((s) => s.source), join((s) => s.pointer ?? ''), join((s) => s.sha256), join((s) => s.ingestedAt)]);
    });
  }
  return toCsv(PATH_COLUMNS, rows);
}
