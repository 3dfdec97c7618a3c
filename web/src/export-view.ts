/**
 * The current view as files: JSON (what is drawn, with the parameters that produced it) and CSV (one
 * row per drawn node). PNG comes from Cytoscape itself (cy.png) in the page.
 */
import type { ViewEdge, ViewNode } from './view-graph.js';
import type { ViewState } from './url-state.js';

export interface ViewExport {
  format: 'blast-radius-view';
  version: 1;
  /** The link that reopens this view. */
  link: string;
  snapshotId: string | null;
  state: ViewState;
  nodes: Array<Pick<ViewNode, 'id' | 'kind' | 'name' | 'seed' | 'firstExposedAt' | 'hops' | 'confidence'> & { path?: string[] }>;
  edges: Array<Pick<ViewEdge, 'from' | 'kind' | 'to' | 'arrival' | 'confidence'>>;
}

/** Deterministic: nodes and edges sorted (time, then id), keys in a fixed order. */
export function viewJson(
  input: { link: string; snapshotId: string | null; state: ViewState; nodes: readonly ViewNode[]; edges: readonly ViewEdge[] },
  pathOf: (id: string) => string[] | undefined = () => undefined,
): ViewExport {
  const byTime = (a: { t: number | null; id: string }, b: { t: number | null; id: string }) =>
    (a.t ?? -Infinity) - (b.t ?? -Infinity) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  return {
    format: 'blast-radius-view',
    version: 1,
    link: input.link,
    snapshotId: input.snapshotId,
    state: input.state,
    nodes: [...input.nodes].sort(byTime).map((n) => {
      const path = pathOf(n.id);
      return {
        id: n.id,
        kind: n.kind,
        name: n.name,
        seed: n.seed,
        firstExposedAt: n.firstExposedAt,
        hops: n.hops,
        confidence: n.confidence,
        ...(path && { path }),
      };
    }),
    edges: [...input.edges].sort(byTime).map((e) => ({ from: e.from, kind: e.kind, to: e.to, arrival: e.arrival, confidence: e.confidence })),
  };
}

/**
 * One CSV cell (RFC 4180 quoting). Cells that a spreadsheet would run as a formula (starting with
 * = + - @, tab or CR) get a leading apostrophe: ingested names are untrusted.
 */
export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = ['id', 'kind', 'name', 'seed', 'firstExposedAt', 'hops', 'confidence', 'path'] as const;

/** One row per node (the JSON export's nodes), CRLF line ends, header first. */
export function viewCsv(view: ViewExport): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const n of view.nodes) {
    lines.push([n.id, n.kind, n.name, n.seed, n.firstExposedAt, n.hops, n.confidence, n.path?.join(' > ') ?? ''].map(csvCell).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
