/**
 * Issue 15's containment-plan speed target, on the embedded store and a synthetic graph (default M,
 * ~100k nodes): a containment plan over a radius of ~100k nodes (target <= 5 s), the radius itself
 * apart; and the rotation queue on the same radius. (Re-evaluating open incidents: incident-bench.js, on the same kept graph.)
 *
 *   node dist/scripts/bench/plan-bench.js
 *   BENCH_PLAN_SIZE=S|M|L        (default M)
 *   BENCH_EMBEDDED_DIR_M=DIR     keep the graph there between runs (ingested on the first)
 *
 * Prints a Markdown table; nothing is asserted. `npm run bench` runs it too (part `incident`) and saves
 * its rows with the other results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { computeBlastRadius } from '../../server/engine/blast-radius.js';
import { normalisePlanInput, planFromRadius } from '../../server/engine/containment-plan.js';
import { rotationQueue } from '../../server/engine/rotation-queue.js';
import { openStore } from '../../server/store/open-store.js';
import { planSynthetic, SIZES, type SizeName } from '../../seed/synthetic/generate.js';

const stderr = (s: string) => process.stderr.write(`${s}\n`);

export interface PlanBenchRow {
  what: string;
  size: string;
  ms: number;
  cpuMs: number;
}

async function timed<T>(f: () => Promise<T>): Promise<{ value: T; ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  const value = await f();
  const used = process.cpuUsage(cpu);
  return { value, ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000 };
}

/** The plan bench on a synthetic graph of `size`, kept in `keptDir` when given (filled on first use). */
export async function runPlanBench(size: SizeName, keptDir: string | undefined, log: (s: string) => void = stderr): Promise<PlanBenchRow[]> {
  const kept = keptDir;
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'blast-plan-bench-'));
  const store = await openStore({ backend: 'embedded', dataDir: dir });
  const plan = planSynthetic({ nodes: SIZES[size] });
  try {
    if ((await store.countNodes()) === 0) {
      log(`[${size}] ingesting into ${dir}`);
      for (const batch of plan.batches(100_000)) await store.write(batch);
    }
    const seed = plan.popularVersions[0]!;
    const radius = await timed(() => computeBlastRadius(store, [{ id: seed }]));
    // T just before the first customer is reached: every customer can still be cut off.
    const first = radius.value.customers.map((c) => c.firstExposedAt).filter((t): t is string => t !== null).sort()[0]!;
    const at = new Date(Date.parse(first) - 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    log(`[${size}] radius of ${seed}: ${radius.value.affected.length} nodes, ${radius.value.customers.length} customers in ${radius.ms.toFixed(0)} ms; plan at ${at}`);
    const planned = await timed(() => planFromRadius(store, radius.value, normalisePlanInput({ at })));
    const again = await timed(() => planFromRadius(store, radius.value, normalisePlanInput({ at })));
    log(`[${size}] plan: ${planned.value.actions.length} actions, cost ${planned.value.totalCost}, ${planned.value.customers.length} customers cut off`);
    const queue = await timed(() => rotationQueue(store, radius.value));

    return [
      { what: 'blast radius (for the plan)', size: `${radius.value.affected.length} nodes`, ms: radius.ms, cpuMs: radius.cpuMs },
      { what: 'containment plan (given the radius)', size: `${planned.value.actions.length} actions`, ms: planned.ms, cpuMs: planned.cpuMs },
      { what: 'containment plan, again', size: '', ms: again.ms, cpuMs: again.cpuMs },
      { what: 'rotation queue (given the radius)', size: `${queue.value.credentials.length} credentials`, ms: queue.ms, cpuMs: queue.cpuMs },
    ];
  } finally {
    await store.close();
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

export function planBenchTable(size: SizeName, rows: readonly PlanBenchRow[]): string {
  const lines = [`| ${size} (embedded) | size | wall | CPU |`, '|---|---|---:|---:|'];
  for (const r of rows) lines.push(`| ${r.what} | ${r.size} | ${(r.ms / 1000).toFixed(2)} s | ${(r.cpuMs / 1000).toFixed(2)} s |`);
  return lines.join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const size = (process.env.BENCH_PLAN_SIZE ?? 'M') as SizeName;
  const rows = await runPlanBench(size, process.env[`BENCH_EMBEDDED_DIR_${size}`]);
  process.stdout.write(`${planBenchTable(size, rows)}\n`);
}
