/**
 * `exportBlastRadius`: computes a blast radius and writes everything a lawyer, a regulator, a
 * partner or a script needs into one folder, with a manifest of SHA-256 digests:
 *
 *     report.md, report.pdf          the report (summary, method, timeline, deadlines, evidence)
 *     blast-radius.json              the result, as `blast radius --format json` prints it
 *     affected.csv, customers.csv, paths.csv, rotation-queue.csv
 *     graph.graphml, graph.cyjs      the affected subgraph
 *     customers/<id>.md, .json       a notification pack per affected customer
 *     vex.cdx.json                   CycloneDX 1.6 VEX
 *     manifest.json                  tool, generatedAt, parameters, snapshotId, file digests
 *
 * Every file is a function of the graph's content, the parameters and `generatedAt` only: the same
 * graph, parameters and generatedAt give byte-identical files, the PDF included.
 */
import { mkdir, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { compareText } from '../engine/blast-options.js';
import { runBlastRadius, type BlastOptions, type BlastRadius, type SeedInput } from '../engine/blast-radius.js';
import { BlastError, badInput } from '../model/errors.js';
import { formatTime, normalizeTime } from '../model/time.js';
import type { GraphStore } from '../store/graph-store.js';
import { customerFileStems, customerPackDoc, customerPackJson } from './customer-pack.js';
import { buildExportModel, exportToolVersion, type ExportMeta } from './export-model.js';
import { cytoscapeJson, graphml } from './graph-files.js';
import { buildManifest, MANIFEST, MANIFEST_FORMAT, sha256Hex, type ManifestFile } from './manifest.js';
import { renderMarkdown } from './markdown.js';
import { renderPdf } from './pdf.js';
import { buildReport } from './report.js';
import { affectedCsv, customersCsv, pathsCsv } from './tables.js';
import { planFromRadius, normalisePlanInput } from '../engine/containment-plan.js';
import { rotationQueue } from '../engine/rotation-queue.js';
import { incidentActionBlocks, rotationQueueCsv } from './incident-actions.js';
import { vexJson } from './vex.js';

export const TOOL_NAME = 'blast-radius';

export interface ExportSettings {
  /** The folder to write; created if missing. It must be empty or hold an earlier export (whose files are replaced). */
  outDir: string;
  /**
   * The instant written into every file (report, PDF dates, VEX timestamp, manifest).
   * @default now
   * @example '2026-03-26T09:00:00Z'
   */
  generatedAt?: string;
  /**
   * The report's title.
   * @default 'Blast radius: <seed ids>'
   */
  title?: string;
  /** Called as work moves on, for progress display. */
  onPhase?: (phase: string) => void;
}

export interface ExportResult {
  outDir: string;
  result: BlastRadius;
  generatedAt: string;
  /** Every file written but the manifest, as the manifest lists them. */
  files: ManifestFile[];
  /** Where the time went, step by step in order (for benchmarks and progress reports). */
  timings: StepTiming[];
}

/**
 * One step of an export: `computing the blast radius`, `loading evidence`, `report (document
 * model)`, a file such as `report.pdf`, `customers/*.md` (all customer packs of that kind together),
 * or `writing files`. Each file step is the time to make that file's bytes.
 */
export interface StepTiming {
  step: string;
  /** Wall-clock milliseconds. */
  ms: number;
  /** CPU milliseconds of this process (user + system) during the step. */
  cpuMs: number;
  /** How many files the step made (several for `customers/*`). */
  files: number;
}

/** Records how long each step takes, in wall-clock and CPU time. */
class StepTimer {
  readonly timings: StepTiming[] = [];

  private record(step: string, wall: number, cpu: NodeJS.CpuUsage, files: number): void {
    const used = process.cpuUsage(cpu);
    const ms = performance.now() - wall;
    const cpuMs = (used.user + used.system) / 1000;
    const prev = this.timings.find((t) => t.step === step);
    if (prev) {
      prev.ms += ms;
      prev.cpuMs += cpuMs;
      prev.files += files;
    } else {
      this.timings.push({ step, ms, cpuMs, files });
    }
  }

  time<T>(step: string, fn: () => T, files = 1): T {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    try {
      return fn();
    } finally {
      this.record(step, wall, cpu, files);
    }
  }

  async timeAsync<T>(step: string, fn: () => Promise<T>, files = 1): Promise<T> {
    const wall = performance.now();
    const cpu = process.cpuUsage();
    try {
      return await fn();
    } finally {
      this.record(step, wall, cpu, files);
    }
  }
}

/** An export held in memory: every file of the folder, manifest.json included. */
export interface RenderedExport {
  result: BlastRadius;
  generatedAt: string;
  title: string;
  /** Path (relative, `/`-separated) to content, in path order (code units), manifest.json included. */
  files: Map<string, Buffer>;
  /** Every file but the manifest, as the manifest lists them. */
  listed: ManifestFile[];
  /** Where the time went, step by step. */
  timings: StepTiming[];
}

/** Writes the export folder (see the file comment) and returns what it wrote. */
export async function exportBlastRadius(store: GraphStore, seeds: readonly SeedInput[], options: BlastOptions, settings: ExportSettings): Promise<ExportResult> {
  const rendered = await renderExport(store, seeds, options, settings);
  settings.onPhase?.('writing');
  const timer = new StepTimer();
  await timer.timeAsync(
    'writing files',
    async () => {
      await prepareOutDir(settings.outDir);
      await writeFiles(settings.outDir, rendered.files);
    },
    0,
  );
  return { outDir: settings.outDir, result: rendered.result, generatedAt: rendered.generatedAt, files: rendered.listed, timings: [...rendered.timings, ...timer.timings] };
}

/**
 * Computes the blast radius and renders every file of the export in memory, without writing
 * anything: `exportBlastRadius` writes them to a folder, the API packs them into one archive. Both
 * therefore hold the same bytes. `settings.outDir` is ignored.
 */
export async function renderExport(store: GraphStore, seeds: readonly SeedInput[], options: BlastOptions, settings: Omit<ExportSettings, 'outDir'>): Promise<RenderedExport> {
  const generatedAt = settings.generatedAt === undefined ? formatTime(Date.now()) : normalizeTime(settings.generatedAt);
  if (generatedAt === null) throw badInput(`"${settings.generatedAt}" is not an ISO-8601 time with a zone (e.g. 2026-03-26T09:00:00Z)`, 'generatedAt');
  const phase = settings.onPhase ?? (() => undefined);

  const timer = new StepTimer();
  phase('computing the blast radius');
  const { run, result } = await timer.timeAsync(
    'computing the blast radius',
    async () => {
      const run = await runBlastRadius(store, seeds, options);
      return { run, result: await run.materialise(store) };
    },
    0,
  );
  const title = settings.title?.trim() || `Blast radius: ${result.seeds.map((s) => s.id).join(', ') || 'no seeds'}`;
  const meta: ExportMeta = { title, generatedAt, tool: { name: TOOL_NAME, version: exportToolVersion() } };
  phase('loading evidence');
  const model = await timer.timeAsync('loading evidence', () => buildExportModel(store, result, meta), 0);

  phase('rendering');
  const files = new Map<string, Buffer>();
  const put = (path: string, make: () => string | Buffer, step = path) => {
    timer.time(step, () => {
      const content = make();
      files.set(path, typeof content === 'string' ? Buffer.from(content, 'utf8') : content);
    });
  };
  const report = timer.time('report (document model)', () => buildReport(model), 0);
  // The containment plan at generatedAt and the rotation queue: a section before "About the files".
  const plan = await timer.timeAsync('containment plan', () => planFromRadius(store, result, normalisePlanInput({ at: generatedAt }), run.projection), 0);
  const queue = await timer.timeAsync('rotation queue', () => rotationQueue(store, result, run.projection), 0);
  const about = report.blocks.findIndex((b) => b.type === 'heading' && b.text === 'About the files');
  report.blocks.splice(about < 0 ? report.blocks.length : about, 0, ...incidentActionBlocks(plan, queue));
  put('report.md', () => renderMarkdown(report));
  put('blast-radius.json', () => `${JSON.stringify(result, null, 2)}\n`);
  put('affected.csv', () => affectedCsv(model));
  put('customers.csv', () => customersCsv(model));
  put('paths.csv', () => pathsCsv(model));
  put('rotation-queue.csv', () => rotationQueueCsv(queue));
  put('graph.graphml', () => graphml(model));
  put('graph.cyjs', () => cytoscapeJson(model));
  const stems = customerFileStems(model.customers.map((c) => c.id));
  for (const c of model.customers) {
    const stem = stems.get(c.id)!;
    put(`customers/${stem}.json`, () => customerPackJson(model, c), 'customers/*.json');
    put(`customers/${stem}.md`, () => renderMarkdown(customerPackDoc(model, c)), 'customers/*.md');
  }
  const vex = await timer.timeAsync('vex.cdx.json', () => vexJson(store, model), 0);
  put('vex.cdx.json', () => vex, 'vex.cdx.json');
  phase('rendering the PDF');
  const producer = `${TOOL_NAME} ${meta.tool.version}`;
  const pdf = await timer.timeAsync(
    'report.pdf',
    () =>
      renderPdf(report, {
        title,
        subject: `Blast radius from ${result.seeds.map((s) => s.id).join(', ') || 'no seeds'}`,
        keywords: `snapshot ${result.snapshotId}; report.md sha256 ${sha256Hex(files.get('report.md')!)}`,
        generatedAt,
        producer,
        footer: `${title} \u00b7 generated ${generatedAt}`,
      }),
    0,
  );
  put('report.pdf', () => pdf);
  put(MANIFEST, () =>
    buildManifest(
      {
        tool: meta.tool,
        title,
        generatedAt,
        snapshotId: result.snapshotId,
        parameters: { seeds: result.seeds, options: result.options, generatedAt, title },
      },
      files,
    ),
  );
  const manifest = JSON.parse(files.get(MANIFEST)!.toString('utf8')) as { files: ManifestFile[] };
  const sorted = new Map([...files].sort(([a], [b]) => compareText(a, b)));
  return { result, generatedAt, title, files: sorted, listed: manifest.files, timings: timer.timings };
}

/** Files written at once (each holds a file descriptor while it is written). */
const WRITE_CONCURRENCY = 8;

/** Writes every file, a few at a time, and the manifest last: a folder with a manifest is complete. */
async function writeFiles(outDir: string, files: ReadonlyMap<string, Buffer>): Promise<void> {
  const target = (path: string) => join(outDir, ...path.split('/'));
  const paths = [...files.keys()].filter((p) => p !== MANIFEST).sort();
  for (const dir of new Set(paths.map((p) => dirname(target(p))))) await mkdir(dir, { recursive: true });
  let next = 0;
  const worker = async () => {
    while (next < paths.length) {
      const path = paths[next++]!;
      await writeFile(target(path), files.get(path)!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITE_CONCURRENCY, paths.length) }, worker));
  if (files.has(MANIFEST)) await writeFile(target(MANIFEST), files.get(MANIFEST)!);
}

/**
 * Makes `dir` ready: created when missing; when it holds an earlier export, that export's files
 * (as its manifest lists them) are removed so no stale customer pack survives; any other non-empty
 * folder is refused rather than mixed into.
 */
async function prepareOutDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const entries = await readdir(dir);
  if (entries.length === 0) return;
  let listed: string[] | undefined;
  try {
    const m = JSON.parse(await readFile(join(dir, MANIFEST), 'utf8')) as { format?: string; files?: Array<{ path?: unknown }> };
    if (m.format === MANIFEST_FORMAT && Array.isArray(m.files)) listed = m.files.map((f) => String(f.path));
  } catch {
    listed = undefined;
  }
  if (!listed) throw new BlastError('BAD_INPUT', 'the output folder is not empty and holds no earlier export; choose an empty or new folder', { input: dir });
  for (const path of listed) {
    if (path.split('/').some((p) => p === '' || p === '.' || p === '..')) continue;
    await rm(join(dir, ...path.split('/')), { force: true });
  }
  await rm(join(dir, MANIFEST), { force: true });
  await rmdir(join(dir, 'customers')).catch(() => undefined);
}
export { verifyExport, type VerifyResult, type Mismatch } from './manifest.js';
