/**
 * Store and engine benchmark (issues 3 and 12): for each store and size, in one run on the same
 * graph: ingest throughput; the propagation projection (build from the store, load from its file,
 * the graph-version check); a warm blast radius on the projection (search, order, counts and
 * customers: the compact answer) against the in-memory CSR floor of the same rules; the whole
 * contract answer with every path and its sources; a cold `blast radius --format table` process; the
 * hand-written Neo4j query; and peak RSS. Each figure's median over at least 5 seeds that each reach
 * more than 10% of the graph.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runBlastRadius } from '../../server/engine/blast-radius.js';
import { buildProjection } from '../../server/projection/build.js';
import { currentProjection, forgetProjection } from '../../server/projection/current-projection.js';
import { readProjectionFile, writeProjectionFile } from '../../server/projection/persist.js';
import type { GraphStore, StoreBackend } from '../../server/store/graph-store.js';
import { openStore } from '../../server/store/open-store.js';
import { planSynthetic, SIZES, type SizeName } from '../../seed/synthetic/generate.js';
import { buildCsr, floorReach, type CsrGraph } from './csr-floor.js';
import { freshStore } from './fresh-store.js';

const BIN = fileURLToPath(new URL('../../../bin/blast.js', import.meta.url));

export interface StoreBenchRow {
  store: StoreBackend;
  size: SizeName;
  nodes: number;
  edges: number;
  ingestSeconds: number;
  ingestRecordsPerSecond: number;
  /** buildProjection from the store, cold (no file). */
  projectionBuildMs: number;
  /** Loading the projection file (embedded only). */
  projectionLoadMs: number | 'n/a';
  projectionMb: number;
  versionCheckMedianMs: number;
  /** Warm radius: projection in memory; search, answer order, counts by kind and customers. */
  radiusMedianMs: number;
  radiusP95Ms: number;
  /** CPU time of the process (all threads) per warm radius: less sensitive to other load. */
  radiusCpuMedianMs: number;
  meanReached: number;
  floorMedianMs: number;
  /** radius p50 / floor p50. */
  radiusOverFloor: number;
  /** The whole contract answer of one seed (every path, sources read from the store). */
  fullAnswerMs: number;
  /** A new `blast radius SEED --format table` process (embedded: loads the projection file). */
  coldCliMs: number;
  naiveCypherMedianMs: number | 'timeout' | 'n/a';
  /** naive p50 / radius p50 (Neo4j). */
  naiveOverRadius: number | 'n/a';
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

        // The projection: built from the store, written, loaded back; the version check.
        forgetProjection(store);
        let t0 = performance.now();
        const projection = await buildProjection(store);
        const projectionBuildMs = performance.now() - t0;
        let projectionLoadMs: number | 'n/a' = 'n/a';
        if (store.projectionPath) {
          await writeProjectionFile(store.projectionPath, projection);
          t0 = performance.now();
          const loaded = await readProjectionFile(store.projectionPath, projection.version);
          projectionLoadMs = performance.now() - t0;
          if (!loaded) throw new Error('the projection file just written did not load');
        }
        log(`[${size}/${backend}] projection: ${projection.nodeCount} nodes, ${projection.stepCount} steps, ${mb(projection.buffer.byteLength)} MB, built in ${projectionBuildMs.toFixed(0)} ms`);
        const versionTimes: number[] = [];
        for (let i = 0; i < 30; i++) versionTimes.push(await timed(() => store.graphVersion()));
        await currentProjection(store); // held in memory from here on: warm radii

        const radius: number[] = [];
        const radiusCpu: number[] = [];
        const floorTimes: number[] = [];
        let reached = 0;
        await warmRadius(store, seeds[0]!.id); // warm-up
        for (const seed of seeds) {
          // Side by side: the floor, then the engine, on the same seed.
          floorTimes.push(time(() => floorReach(csr, [seed.id])));
          const t = performance.now();
          const cpu0 = process.cpuUsage();
          const affected = await warmRadius(store, seed.id);
          radius.push(performance.now() - t);
          const cpu = process.cpuUsage(cpu0);
          radiusCpu.push((cpu.user + cpu.system) / 1000);
          reached += affected;
          log(`[${size}/${backend}]   ${seed.id}: ${affected} affected (floor ${seed.reach - 1}) in ${radius.at(-1)!.toFixed(0)} ms (floor ${floorTimes.at(-1)!.toFixed(0)} ms)`);
        }
        t0 = performance.now();
        const run = await runBlastRadius(store, [{ id: seeds[0]!.id }], {});
        let bytes = 0;
        for await (const piece of run.json(store)) bytes += piece.length;
        const fullAnswerMs = performance.now() - t0;
        log(`[${size}/${backend}] whole answer of ${seeds[0]!.id}: ${(bytes / 1e6).toFixed(0)} MB of JSON in ${fullAnswerMs.toFixed(0)} ms`);
        const coldCliMs = coldCli(store, seeds[0]!.id);
        log(`[${size}/${backend}] cold blast radius --format table: ${coldCliMs.toFixed(0)} ms`);
        const naive = backend === 'neo4j' ? await naiveCypher(store, seeds.map((s) => s.id)) : 'n/a';
        const radiusP50 = percentile(radius, 50);
        const floorP50 = percentile(floorTimes, 50);
        rows.push({
          store: backend,
          size,
          nodes: stats.totalNodes,
          edges: stats.totalEdges,
          ingestSeconds: round(ingestSeconds),
          ingestRecordsPerSecond: Number.isNaN(ingestSeconds) ? NaN : Math.round((stats.totalNodes + stats.totalEdges) / ingestSeconds),
          projectionBuildMs: round(projectionBuildMs),
          projectionLoadMs: typeof projectionLoadMs === 'number' ? round(projectionLoadMs) : projectionLoadMs,
          projectionMb: mb(projection.buffer.byteLength),
          versionCheckMedianMs: round(percentile(versionTimes, 50)),
          radiusMedianMs: round(radiusP50),
          radiusP95Ms: round(percentile(radius, 95)),
          radiusCpuMedianMs: round(percentile(radiusCpu, 50)),
          meanReached: Math.round(reached / seeds.length),
          floorMedianMs: round(floorP50),
          radiusOverFloor: round(radiusP50 / floorP50),
          fullAnswerMs: round(fullAnswerMs),
          coldCliMs: round(coldCliMs),
          naiveCypherMedianMs: naive,
          naiveOverRadius: typeof naive === 'number' ? round(naive / radiusP50) : 'n/a',
          peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
        });
      } finally {
        await cleanup();
      }
    }
  }
  return rows;
}

/** A warm radius as a client reads one: the compact answer, its counts by kind and its customers. */
async function warmRadius(store: GraphStore, seed: string): Promise<number> {
  const run = await runBlastRadius(store, [{ id: seed }], {});
  run.countsByKind();
  run.customerRefs();
  return run.affectedCount;
}

/** Wall time of a new CLI process printing the table (stdout discarded). */
function coldCli(store: GraphStore, seed: string): number {
  const s = store.openSettings!;
  const env: NodeJS.ProcessEnv = { ...process.env, BLAST_STORE: s.backend };
  if (s.backend === 'embedded') env.BLAST_DATA_DIR = s.dataDir;
  else Object.assign(env, { NEO4J_URI: s.neo4j!.uri, NEO4J_USER: s.neo4j!.user, NEO4J_PASSWORD: s.neo4j!.password });
  const t0 = performance.now();
  execFileSync(process.execPath, [BIN, 'radius', seed, '--format', 'table'], { env, stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  return performance.now() - t0;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function mb(bytes: number): number {
  return Math.round(bytes / 1048576);
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
  const head =
    '| store | size | nodes | edges | ingest s | ingest rec/s | projection build ms | load ms | MB | version check ms | radius p50 ms | p95 ms | CPU p50 ms | reached | floor p50 ms | radius / floor | whole answer ms | cold CLI ms | naive Cypher p50 ms | naive / radius | peak RSS MB |';
  const sep = '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map(
    (r) =>
      `| ${r.store} | ${r.size} | ${r.nodes} | ${r.edges} | ${r.ingestSeconds} | ${r.ingestRecordsPerSecond} | ${r.projectionBuildMs} | ${r.projectionLoadMs} | ${r.projectionMb} | ${r.versionCheckMedianMs} | ${r.radiusMedianMs} | ${r.radiusP95Ms} | ${r.radiusCpuMedianMs} | ${r.meanReached} | ${r.floorMedianMs} | ${r.radiusOverFloor} | ${r.fullAnswerMs} | ${r.coldCliMs} | ${r.naiveCypherMedianMs} | ${r.naiveOverRadius} | ${r.peakRssMb} |`,
  );
  return [head, sep, ...lines].join('\n');
}
