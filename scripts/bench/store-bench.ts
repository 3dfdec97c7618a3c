/**
 * Store and engine benchmark (issue 3): for each store and size, ingest throughput, blast-radius
 * latency (median and p95 over at least 5 seeds that each reach > 10% of the graph), peak RSS, and on
 * the same graph in the same run the hand-written Neo4j query and the in-memory CSR floor.
 */
import { computeBlastRadius } from '../../server/engine/blast-radius.js';
import type { GraphStore, StoreBackend } from '../../server/store/graph-store.js';
import { openStore } from '../../server/store/open-store.js';
import { planSynthetic, SIZES, type SizeName } from '../../seed/synthetic/generate.js';
import { buildCsr, floorReach, type CsrGraph } from './csr-floor.js';
import { freshStore } from './fresh-store.js';

export interface StoreBenchRow {
  store: StoreBackend;
  size: SizeName;
  nodes: number;
  edges: number;
  ingestSeconds: number;
  ingestRecordsPerSecond: number;
  radiusMedianMs: number;
  radiusP95Ms: number;
  /** CPU time of the process (all threads) per blast radius: less sensitive to other load. */
  radiusCpuMedianMs: number;
  meanReached: number;
  floorMedianMs: number;
  naiveCypherMedianMs: number | 'timeout' | 'n/a';
  peakRssMb: number;
}

const NAIVE_TIMEOUT_MS = Number(process.env.BENCH_NAIVE_TIMEOUT_MS) || 30_000;
/**
 * Records per write (one transaction each), whichever ingests fastest per store. Embedded: 100,000
 * (one-off runs on the L plan: its first 2.16M records took 283 s this way, about 390 s in writes of
 * 20,000 — fewer commits and WAL checkpoints, more neighbouring keys per index page). Neo4j: 20,000,
 * the size measured at L (a transaction's state lives in the JVM heap).
 */
const BATCH_SIZE: Record<StoreBackend, number> = { embedded: 100_000, neo4j: 20_000 };

export async function runStoreBench(opts: { sizes?: SizeName[]; stores?: StoreBackend[]; log?: (s: string) => void } = {}): Promise<StoreBenchRow[]> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const sizes = opts.sizes ?? ['S', 'M'];
  const stores = opts.stores ?? ['embedded', 'neo4j'];
  const rows: StoreBenchRow[] = [];
  for (const size of sizes) {
    const plan = planSynthetic({ nodes: SIZES[size] });
    log(`[${size}] building the CSR floor graph`);
    const csr = buildCsr(plan.batches());
    const seeds = chooseSeeds(csr, plan.popularVersions);
    log(`[${size}] ${csr.ids.length} nodes, ${csr.targets.length} propagation edges; seeds ${seeds.map((s) => s.id).join(' ')}`);
    floorReach(csr, [seeds[0]!.id]); // warm-up, as for the engine
    const floorTimes = seeds.map((s) => time(() => floorReach(csr, [s.id])));
    for (const backend of stores) {
      const kept = backend === 'embedded' ? process.env[`BENCH_EMBEDDED_DIR_${size}`] : undefined;
      const { store, cleanup } = kept ? await keptStore(kept) : await freshStore(backend, 'blast-bench-');
      try {
        const started = performance.now();
        if (kept && (await store.countNodes()) > 0) {
          log(`[${size}/${backend}] reusing the graph in ${kept} (BENCH_EMBEDDED_DIR_${size}): no ingest measured`);
        } else {
          log(`[${size}/${backend}] ingesting`);
          let records = 0;
          let batches = 0;
          for (const batch of plan.batches(BATCH_SIZE[backend])) {
            const s = await store.write(batch);
            records += s.nodes.added + s.nodes.updated + s.edges.added + s.edges.updated;
            if (++batches % 25 === 0) log(`[${size}/${backend}]   ${records} records, ${((performance.now() - started) / 1000).toFixed(0)} s`);
          }
        }
        const ingestSeconds = kept ? NaN : (performance.now() - started) / 1000;
        const stats = await store.stats();
        log(`[${size}/${backend}] ${kept ? 'holds' : 'ingested'} ${stats.totalNodes} nodes + ${stats.totalEdges} edges${kept ? '' : ` in ${ingestSeconds.toFixed(1)} s`}`);
        const radius: number[] = [];
        const radiusCpu: number[] = [];
        let reached = 0;
        await computeBlastRadius(store, [{ id: seeds[0]!.id }], {}); // warm-up
        for (const seed of seeds) {
          const t0 = performance.now();
          const cpu0 = process.cpuUsage();
          const result = await computeBlastRadius(store, [{ id: seed.id }], {});
          radius.push(performance.now() - t0);
          const cpu = process.cpuUsage(cpu0);
          radiusCpu.push((cpu.user + cpu.system) / 1000);
          reached += result.affected.length;
          log(`[${size}/${backend}]   ${seed.id}: ${result.affected.length} affected (floor ${seed.reach - 1}) in ${radius.at(-1)!.toFixed(0)} ms`);
        }
        const naive = backend === 'neo4j' ? await naiveCypher(store, seeds.map((s) => s.id)) : 'n/a';
        rows.push({
          store: backend,
          size,
          nodes: stats.totalNodes,
          edges: stats.totalEdges,
          ingestSeconds: round(ingestSeconds),
          ingestRecordsPerSecond: Number.isNaN(ingestSeconds) ? NaN : Math.round((stats.totalNodes + stats.totalEdges) / ingestSeconds),
          radiusMedianMs: round(percentile(radius, 50)),
          radiusP95Ms: round(percentile(radius, 95)),
          radiusCpuMedianMs: round(percentile(radiusCpu, 50)),
          meanReached: Math.round(reached / seeds.length),
          floorMedianMs: round(percentile(floorTimes, 50)),
          naiveCypherMedianMs: naive,
          peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        });
      } finally {
        await cleanup();
      }
    }
  }
  return rows;
}

/** Seeds among the popular versions whose floor reach is over 10% of the graph; at least 5. */
function chooseSeeds(csr: CsrGraph, candidates: string[]): Array<{ id: string; reach: number }> {
  const scored = candidates.map((id) => ({ id, reach: floorReach(csr, [id]) }));
  const wide = scored.filter((s) => s.reach > csr.ids.length * 0.1);
  const chosen = (wide.length >= 5 ? wide : scored.sort((a, b) => b.reach - a.reach)).slice(0, 5);
  return chosen;
}

/**
 * An embedded store kept between runs (BENCH_EMBEDDED_DIR_<size>): filled on the first run, reused
 * after, so the engine can be measured at L without paying its ingest each time. Never removed.
 */
async function keptStore(dir: string): Promise<{ store: GraphStore; cleanup: () => Promise<void> }> {
  const store = await openStore({ backend: 'embedded', dataDir: dir });
  return { store, cleanup: () => store.close() };
}

/** What a Neo4j user writes by hand: every node within N hops, any direction, no time. */
async function naiveCypher(store: GraphStore, seeds: string[]): Promise<number | 'timeout'> {
  const { runNaiveQuery } = await import('../../server/store/neo4j/naive-query.js');
  const times: number[] = [];
  for (const id of seeds) {
    const t0 = performance.now();
    const ok = await runNaiveQuery(store, id, 6, NAIVE_TIMEOUT_MS);
    if (!ok) return 'timeout';
    times.push(performance.now() - t0);
  }
  return round(percentile(times, 50));
}

function time(fn: () => unknown): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export function storeBenchTable(rows: StoreBenchRow[]): string {
  const head = '| store | size | nodes | edges | ingest s | ingest rec/s | radius p50 ms | radius p95 ms | radius CPU p50 ms | reached | floor p50 ms | naive Cypher p50 ms | peak RSS MB |';
  const sep = '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map(
    (r) =>
      `| ${r.store} | ${r.size} | ${r.nodes} | ${r.edges} | ${r.ingestSeconds} | ${r.ingestRecordsPerSecond} | ${r.radiusMedianMs} | ${r.radiusP95Ms} | ${r.radiusCpuMedianMs} | ${r.meanReached} | ${r.floorMedianMs} | ${r.naiveCypherMedianMs} | ${r.peakRssMb} |`,
  );
  return [head, sep, ...lines].join('\n');
}
