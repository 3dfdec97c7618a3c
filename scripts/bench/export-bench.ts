/**
 * Export benchmark: one compromised package version that 10,000 nodes are reached from (services
 * that ran it, each holding a credential, and a few customers using them), exported end to end
 * (compute, evidence loading, every file, the PDF), timed per phase and per output file, in
 * wall-clock and CPU time (CPU time says more on a shared machine). Prints Markdown tables.
 *
 *     node dist/scripts/bench/export-bench.js [AFFECTED]     (after `npm run build`)
 *
 * Each store runs in a fresh store: a temporary folder for embedded; for Neo4j the database named
 * by NEO4J_URI is CLEARED first, so point it at a scratch instance.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportBlastRadius, type StepTiming } from '../../server/export/export-blast-radius.js';
import type { EdgeInput, GraphBatch, NodeInput, Source } from '../../server/model/types.js';
import type { StoreBackend } from '../../server/store/graph-store.js';
import { freshStore } from './fresh-store.js';

export interface ExportBenchRow {
  store: StoreBackend;
  affected: number;
  customers: number;
  files: number;
  megabytes: number;
  pdfPages: number;
  /** Seconds per phase, as exportBlastRadius reports them. */
  phases: Record<string, number>;
  /** Wall-clock seconds of the whole export. */
  totalSeconds: number;
  /** CPU seconds (user + system) of this process during the export. */
  cpuSeconds: number;
  /** Each step and output file: wall and CPU milliseconds, with the bytes of the files it made. */
  steps: Array<StepTiming & { bytes: number }>;
  /** The 1-minute load average when the export ended (2 cores here: above 2, others wait for CPU). */
  loadAverage: number;
  peakRssMb: number;
}

const T0 = Date.parse('2026-03-24T10:52:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
const SOURCE: Source[] = [{ source: 'bench/synthetic-export', sha256: 'b'.repeat(64), ingestedAt: '2026-03-25T00:00:00Z' }];
const SEED = 'pkg:npm/bench-compromised@1.0.0';
const CUSTOMERS = 10;

/** Batches for a graph where exactly `affected` nodes are reached from SEED. */
export function* exportBenchBatches(affected: number): Generator<GraphBatch> {
  const services = Math.floor((affected - CUSTOMERS) / 2);
  const creds = affected - CUSTOMERS - services;
  const pad = (i: number) => String(i).padStart(6, '0');
  yield { input: 'bench', nodes: [{ id: SEED, kind: 'PackageVersion', props: { compromisedAt: iso(T0), publishedAt: iso(T0) }, sources: SOURCE }], edges: [] };
  const chunk = 2_000;
  for (let start = 0; start < services; start += chunk) {
    const nodes: NodeInput[] = [];
    const edges: EdgeInput[] = [];
    for (let i = start; i < Math.min(services, start + chunk); i++) {
      const svc = `svc:bench/app-${pad(i)}`;
      // Services pick the version up over a week, one a minute or so.
      nodes.push({ id: svc, kind: 'Service', name: `App ${i}`, props: { environment: i % 3 === 0 ? 'prod' : 'staging', ...(i % 7 === 0 && { containedAt: iso(T0 + 8 * 86_400_000) }) }, sources: SOURCE });
      edges.push({ from: svc, kind: 'DEPENDS_ON', to: SEED, since: iso(T0 + i * 60_000), sources: SOURCE });
      if (i < creds) {
        const cred = `cred:bench/key-${pad(i)}`;
        nodes.push({ id: cred, kind: 'Credential', name: `Key ${i}`, props: { type: 'api-key' }, sources: SOURCE });
        edges.push({ from: svc, kind: 'HOLDS', to: cred, sources: SOURCE });
      }
    }
    yield { input: 'bench', nodes, edges };
  }
  const nodes: NodeInput[] = [];
  const edges: EdgeInput[] = [];
  for (let c = 0; c < CUSTOMERS; c++) {
    const org = `org:bench-customer-${c}`;
    nodes.push({ id: org, kind: 'Customer', name: `Customer ${c}`, props: { notifyWithinHours: 72, jurisdiction: 'EU' }, sources: SOURCE });
    // Each customer uses a handful of services spread over the week.
    for (let k = 0; k < 5; k++) edges.push({ from: org, kind: 'USES', to: `svc:bench/app-${pad((c * 397 + k * 1009) % services)}`, sources: SOURCE });
  }
  yield { input: 'bench', nodes, edges };
}

function folderStats(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    files++;
    bytes += statSync(join(e.parentPath, e.name)).size;
  }
  return { files, bytes };
}

export async function runExportBench(opts: { affected?: number; stores?: StoreBackend[]; log?: (s: string) => void } = {}): Promise<ExportBenchRow[]> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const affected = opts.affected ?? 10_000;
  const rows: ExportBenchRow[] = [];
  for (const backend of opts.stores ?? ['embedded']) {
    const { store, cleanup } = await freshStore(backend, 'blast-export-bench-');
    const out = mkdtempSync(join(tmpdir(), 'blast-export-bench-out-'));
    try {
      log(`[export/${backend}] building a graph with ${affected} reachable nodes`);
      for (const b of exportBenchBatches(affected)) await store.write(b);
      const phases: Record<string, number> = {};
      let phase = '';
      let mark = performance.now();
      const started = mark;
      const onPhase = (p: string) => {
        const now = performance.now();
        if (phase) phases[phase] = (now - mark) / 1000;
        phase = p;
        mark = now;
        log(`[export/${backend}]   ${p}`);
      };
      const cpu = process.cpuUsage();
      const result = await exportBlastRadius(store, [{ id: SEED }], {}, { outDir: join(out, 'export'), generatedAt: '2026-03-26T09:00:00Z', onPhase });
      const end = performance.now();
      const used = process.cpuUsage(cpu);
      phases[phase] = (end - mark) / 1000;
      const { files, bytes } = folderStats(join(out, 'export'));
      const pdf = statSync(join(out, 'export', 'report.pdf')).size;
      const pdfPages = countPdfPages(join(out, 'export', 'report.pdf'));
      rows.push({
        store: backend,
        affected: result.result.affected.length,
        customers: result.result.customers.length,
        files,
        megabytes: bytes / 1e6,
        pdfPages,
        phases,
        totalSeconds: (end - started) / 1000,
        cpuSeconds: (used.user + used.system) / 1e6,
        steps: result.timings.map((t) => ({ ...t, bytes: stepBytes(t.step, join(out, 'export')) })),
        loadAverage: loadavg()[0]!,
        peakRssMb: process.resourceUsage().maxRSS / 1024,
      });
      log(`[export/${backend}] ${result.result.affected.length} affected, ${files} files, PDF ${(pdf / 1e6).toFixed(1)} MB, ${((end - started) / 1000).toFixed(1)} s`);
    } finally {
      rmSync(out, { recursive: true, force: true });
      await cleanup();
    }
  }
  return rows;
}

/** Bytes of the files a step made: its file, or every file a `dir/*.ext` step names. */
function stepBytes(step: string, dir: string): number {
  const glob = /^(.+)\/\*(\.[\w.]+)$/.exec(step);
  try {
    if (!glob) return statSync(join(dir, step)).size;
    return readdirSync(join(dir, glob[1]!))
      .filter((f) => f.endsWith(glob[2]!))
      .reduce((sum, f) => sum + statSync(join(dir, glob[1]!, f)).size, 0);
  } catch {
    return 0; // not a file (computing, loading evidence, writing)
  }
}

/** Page objects in the PDF (uncompressed by design, see server/export/pdf.ts, so they are plain text). */
function countPdfPages(path: string): number {
  return (readFileSync(path).toString('latin1').match(/\/Type \/Page\n/g) ?? []).length;
}

/** The rows as Markdown tables: one line per export, then where its time went, step by step. */
export function formatExportBench(rows: readonly ExportBenchRow[]): string {
  const phaseNames = [...new Set(rows.flatMap((r) => Object.keys(r.phases)))];
  const head = ['store', 'affected', 'customers', 'files', 'MB', 'PDF pages', ...phaseNames.map((p) => `${p} (s)`), 'total (s)', 'CPU (s)', 'load avg', 'peak RSS (MB)'];
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    lines.push(
      `| ${[
        r.store,
        r.affected,
        r.customers,
        r.files,
        r.megabytes.toFixed(1),
        r.pdfPages,
        ...phaseNames.map((p) => (r.phases[p] ?? 0).toFixed(2)),
        r.totalSeconds.toFixed(2),
        r.cpuSeconds.toFixed(2),
        r.loadAverage.toFixed(1),
        r.peakRssMb.toFixed(0),
      ].join(' | ')} |`,
    );
  }
  for (const r of rows) {
    lines.push('', `Per step and file (${r.store}):`, '', '| step | files | MB | wall (ms) | CPU (ms) |', '|---|---|---|---|---|');
    for (const t of r.steps) {
      lines.push(`| ${t.step} | ${t.files} | ${t.files === 0 ? '' : (t.bytes / 1e6).toFixed(2)} | ${t.ms.toFixed(0)} | ${t.cpuMs.toFixed(0)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const affected = process.argv[2] ? Number(process.argv[2]) : undefined;
  const stores = (process.env.BENCH_STORES?.split(',').filter(Boolean) as StoreBackend[] | undefined) ?? undefined;
  const rows = await runExportBench({ affected, stores });
  process.stdout.write(`\n### Export (${rows[0]?.affected ?? 0} affected nodes)\n\n${formatExportBench(rows)}`);
}
