/**
 * Issue 15's re-evaluation target, on the embedded store and a synthetic graph (default M, ~100k
 * nodes): re-evaluating 20 open incidents after an ingest (target <= 30 s), with the event loop's
 * longest stall meanwhile (what a request arriving then would wait). The watcher runs as `blast
 * serve` runs it: its searches in the engine pool's worker threads.
 *
 *   node dist/scripts/bench/incident-bench.js
 *   BENCH_PLAN_SIZE=S|M|L        (default M)
 *   BENCH_EMBEDDED_DIR_M=DIR     keep the graph there between runs (ingested on the first); the same
 *                                folder plan-bench.js uses
 *   BENCH_IN_THREAD=1            run the searches and projection builds on the main thread instead
 *                                (revisions are still stored by the watcher's writer thread)
 *
 * Prints a Markdown table; nothing is asserted. `npm run bench` runs it too (part `incident`) and saves
 * its rows with the other results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IncidentWatcher } from '../../server/api/incident-watcher.js';
import { EngineRuns } from '../../server/api/engine-runs.js';
import { openStore } from '../../server/store/open-store.js';
import { planSynthetic, SIZES, type SizeName } from '../../seed/synthetic/generate.js';

const stderr = (s: string) => process.stderr.write(`${s}\n`);

export interface IncidentBenchRow {
  what: string;
  revisions: number;
  ms: number;
  cpuMs: number;
  stallMs: number;
  /** Load average (1, 5, 15 min) just before. */
  loadAverageBefore: number[];
}

interface Measured {
  ms: number;
  cpuMs: number;
  /** The event loop's longest stall meanwhile: a 10 ms timer's largest lateness. */
  stallMs: number;
}

async function measured(f: () => Promise<void>): Promise<Measured> {
  let last = performance.now();
  let stall = 0;
  const ticker = setInterval(() => {
    const t = performance.now();
    stall = Math.max(stall, t - last - 10);
    last = t;
  }, 10);
  const cpu = process.cpuUsage();
  const t = performance.now();
  await f();
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - t;
  clearInterval(ticker);
  return { ms, cpuMs: (used.user + used.system) / 1000, stallMs: stall };
}

/**
 * The re-evaluation bench on a synthetic graph of `size`, kept in `keptDir` when given (filled on first
 * use); `inThread`: searches and projection builds on the main thread instead of the engine pool.
 */
export async function runIncidentBench(size: SizeName, keptDir: string | undefined, inThread = false, log: (s: string) => void = stderr): Promise<IncidentBenchRow[]> {
  const kept = keptDir;
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'blast-incident-bench-'));
  const store = await openStore({ backend: 'embedded', dataDir: dir });
  const plan = planSynthetic({ nodes: SIZES[size] });
  const engine = new EngineRuns(600_000);
  try {
    if ((await store.countNodes()) === 0) {
      log(`[${size}] ingesting into ${dir}`);
      for (const batch of plan.batches(100_000)) await store.write(batch);
    }
    const now = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    const stamp = Date.now();
    // 20 open incidents, each from a popular version, their revisions from earlier runs dropped.
    const seeds = plan.popularVersions.slice(0, 20);
    const ids = seeds.map((_, i) => `inc:bench-${String(i).padStart(2, '0')}`);
    await store.write({
      input: 'bench',
      nodes: ids.map((id, i) => ({ id, kind: 'Incident' as const, name: id, props: { status: 'open', seeds: [{ id: seeds[i]! }], revisions: [] }, sources: [{ source: 'bench', sha256: '0'.repeat(64), ingestedAt: now() }] })),
      edges: [],
    });
    const watcher = new IncidentWatcher(store, now, { error: (m, e) => log(`${m}: ${String(e)}`) }, { pollMs: 0 }, inThread ? {} : engine.runner(store));
    const revisions: string[] = [];
    watcher.onRevision((e) => revisions.push(e.incident));
    const pass = async (): Promise<{ m: Measured; revisions: number }> => {
      revisions.length = 0;
      const m = await measured(async () => {
        watcher.changed();
        await watcher.idle();
      });
      return { m, revisions: revisions.length };
    };
    const load = () => loadavg().map((x) => Number(x.toFixed(2)));
    const rows: Array<[string, { m: Measured; revisions: number }, number[]]> = [];

    // The first evaluation gives each incident its first revision (every reached node).
    let l = load();
    rows.push(['first evaluation of 20 incidents', await pass(), l]);
    // An ingest that changes every incident's answer: a new service running each seed version.
    await store.write({
      input: 'bench-ingest',
      nodes: [],
      edges: seeds.map((v) => ({ from: `svc:bench/new-${stamp}`, kind: 'DEPENDS_ON' as const, to: v, sources: [{ source: 'bench-ingest', sha256: '1'.repeat(64), ingestedAt: now() }] })),
    });
    l = load();
    rows.push(['re-evaluate 20 open incidents after an ingest', await pass(), l]);
    // An ingest that changes no incident's answer: a customer using nothing.
    await store.write({
      input: 'bench-ingest',
      nodes: [{ id: `org:bench/nobody-${stamp}`, kind: 'Customer' as const, name: 'nobody', props: {}, sources: [{ source: 'bench-ingest', sha256: '2'.repeat(64), ingestedAt: now() }] }],
      edges: [],
    });
    l = load();
    rows.push(['re-evaluate after an ingest that changes no answer', await pass(), l]);
    await watcher.close();

    return rows.map(([what, r, before]) => ({ what, revisions: r.revisions, ms: r.m.ms, cpuMs: r.m.cpuMs, stallMs: r.m.stallMs, loadAverageBefore: before }));
  } finally {
    await engine.close();
    await store.close();
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

export function incidentBenchTable(size: SizeName, inThread: boolean, rows: readonly IncidentBenchRow[]): string {
  const lines = [
    `| ${size} (embedded${inThread ? ', in thread' : ', engine pool'}) | revisions | wall | CPU (main thread + workers) | longest stall | load average (1, 5, 15 min) before |`,
    '|---|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    lines.push(`| ${r.what} | ${r.revisions} | ${(r.ms / 1000).toFixed(2)} s | ${(r.cpuMs / 1000).toFixed(2)} s | ${r.stallMs.toFixed(0)} ms | ${r.loadAverageBefore.join(' ')} |`);
  }
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const size = (process.env.BENCH_PLAN_SIZE ?? 'M') as SizeName;
  const inThread = process.env.BENCH_IN_THREAD === '1';
  const rows = await runIncidentBench(size, process.env[`BENCH_EMBEDDED_DIR_${size}`], inThread);
  process.stdout.write(`${incidentBenchTable(size, inThread, rows)}\n`);
}
