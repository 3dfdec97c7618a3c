/**
 * Exports of the view: the drawn, visible elements as JSON and CSV (built by export-view), a PNG of
 * the graph, and "Export report", the server-made ZIP of the walk's export.
 */
import type { Core, EdgeSingular } from 'cytoscape';
import { describeError } from './describe-error.js';
import type { Explorer } from './explorer.js';
import { viewCsv, viewJson } from './export-view.js';
import { PALETTES } from './kind-visuals.js';
import { download } from './ui/dom.js';
import type { ViewState } from './url-state.js';
import type { ViewNode } from './view-graph.js';

/** File name stem: `blast-radius-<first seed>` with anything unsafe replaced. */
export function fileStem(state: ViewState): string {
  const seed = state.seeds[0] ?? state.center ?? 'view';
  return `blast-radius-${seed.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)}`;
}

/** The drawn, visible elements (not yet reached at the scrubber's instant or filtered out: left out). */
export function visibleIds(cy: Core): { nodes: Set<string>; edges: Set<string> } {
  const nodes = new Set<string>();
  const edges = new Set<string>();
  cy.elements().forEach((el) => {
    if (el.hasClass('future') || el.hasClass('filtered')) return;
    if (el.isNode()) {
      if (!el.isParent()) nodes.add(el.id());
    } else {
      const e = el as unknown as EdgeSingular;
      if (!e.source().hasClass('filtered') && !e.target().hasClass('filtered')) edges.add(e.id());
    }
  });
  return { nodes, edges };
}

export function viewExport(ex: Explorer) {
  const vis = visibleIds(ex.cy);
  const drawnNodes = new Map((ex.drawn?.nodes ?? []).map((n) => [n.id, n]));
  const nodes: ViewNode[] = [];
  for (const id of vis.nodes) {
    const n = drawnNodes.get(id) ?? ex.nodesById.get(id);
    if (n) nodes.push(n);
  }
  const edges = (ex.drawn?.edges ?? []).filter((e) => vis.edges.has(e.id));
  const affected = new Map((ex.result?.affected ?? []).map((a) => [a.id, a]));
  return viewJson({ link: location.href, snapshotId: ex.result?.snapshotId ?? null, state: ex.state, nodes, edges }, (id) => {
    const a = affected.get(id);
    return a ? [a.path[0]?.from ?? id, ...a.path.map((p) => p.to)] : undefined;
  });
}

export function downloadViewJson(ex: Explorer): void {
  download(`${fileStem(ex.state)}.json`, new Blob([`${JSON.stringify(viewExport(ex), null, 2)}\n`], { type: 'application/json' }));
}

export function downloadViewCsv(ex: Explorer): void {
  download(`${fileStem(ex.state)}.csv`, new Blob([viewCsv(viewExport(ex))], { type: 'text/csv' }));
}

/**
 * "Export report": the server renders the walk's export (seeds, start and settings as shown) into
 * one ZIP; the page fetches it with the token and saves it. Progress and errors show under the
 * button; the walk itself is left alone.
 */
export async function exportReport(ex: Explorer): Promise<void> {
  const button = ex.els['export-report'] as HTMLButtonElement;
  const status = (text: string, kind: 'busy' | 'done' | 'error') => {
    const el = ex.els['export-status']!;
    el.textContent = text;
    el.className = `export-status ${kind}`;
  };
  if (ex.state.seeds.length === 0) {
    status('Pick a seed first: the report covers the walk’s seeds and settings.', 'error');
    return;
  }
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  status('Preparing export…', 'busy');
  try {
    const seeds = ex.state.seeds.map((id) => ({ id, at: ex.state.at }));
    const made = await ex.api.exportBlastRadius(seeds, { minConfidence: ex.state.minConfidence, maxHops: ex.state.maxHops });
    status(`Downloading ${made.fileName}…`, 'busy');
    const blob = await ex.api.downloadFile(made.url);
    download(made.fileName, blob);
    status(`Saved ${made.fileName} (${formatSize(made.bytes)}): ${made.affectedCount} nodes reached, ${made.customerCount} customers.`, 'done');
    ex.announce('Export report saved.');
  } catch (err) {
    const e = describeError(err);
    status(`${e.title}: ${e.detail}`, 'error');
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

export async function exportPng(ex: Explorer): Promise<Blob> {
  const cy = ex.cy;
  const bb = cy.elements(':visible').boundingBox();
  const longest = Math.max(bb.w, bb.h, 1);
  const blob = await cy.png({ output: 'blob-promise', full: true, bg: PALETTES[ex.scheme].background, scale: Math.min(2, 8000 / longest), maxWidth: 8000, maxHeight: 8000 });
  download(`${fileStem(ex.state)}.png`, blob);
  return blob;
}

/** A byte count for people: `812 KB`, `3.4 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
