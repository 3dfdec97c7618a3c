/**
 * The Neo4j store alone, for tuning it (issue 3 targets): synthetic ingest throughput through
 * GraphStore.write, then propagation() latency for 5,000-id calls, on a fresh database.
 *
 *   npm run build:server && NEO4J_URI=bolt://127.0.0.1:7703 node dist/scripts/bench/neo4j-bench.js S [M L]
 *
 *   BENCH_PROPAGATION_CALLS=10   propagation calls timed per size (each on 5,000 distinct random node ids)
 *   BENCH_KEEP=1                 leave the last graph in the database (skips the final clear)
 *
 * Per-statement times: add BLAST_DEBUG=cypher (the executor logs each statement with its duration).
 */
import { computeBlastRadius } from '../../server/engine/blast-radius.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { openStore, storeSettingsFromEnv } from '../../server/store/open-store.js';
import { planSynthetic, prng, SIZES, type SizeName } from '../../seed/synthetic/generate.js';

const sizes = process.argv.slice(2).filter((a): a is SizeName => a in SIZES);
if (sizes.length === 0) {
  process.stderr.write('usage: neo4j-bench.js S|M|L ...\n');
  process.exit(2);
}
const calls = Number(process.env.BENCH_PROPAGATION_CALLS) || 10;
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Row {
  size: SizeName;
  nodes: number;
  edges: number;
  ingestSeconds: number;
  recordsPerSecond: number;
  propagationMedianMs: number;
  propagationP95Ms: number;
  stepsPerCall: number;
  radiusMedianMs: number;
  reached: number;
}

const store = await openStore(storeSettingsFromEnv(process.env, 'neo4j'));
const rows: Row[] = [];
try {
  for (const size of sizes) {
    await store.clear();
    const plan = planSynthetic({ nodes: SIZES[size] });
    log(`[${size}] ingesting`);
    const t0 = performance.now();
    let batches = 0;
    for (const batch of plan.batches()) {
      const b0 = performance.now();
      await store.write(batch);
      batches++;
      log(`[${size}]   batch ${batches}: ${batch.nodes.length} nodes + ${batch.edges.length} edges in ${((performance.now() - b0) / 1000).toFixed(1)} s`);
    }
    const ingestSeconds = (performance.now() - t0) / 1000;
    const stats = await store.stats();
    log(`[${size}] ${stats.totalNodes} nodes + ${stats.totalEdges} edges in ${ingestSeconds.toFixed(1)} s`);

    const ids = await allIds(store);
    const rand = prng(7);
    const times: number[] = [];
    let steps = 0;
    await store.propagation(sample(ids, 5000, rand)); // warm-up
    for (let i = 0; i < calls; i++) {
      const chosen = sample(ids, 5000, rand);
      const c0 = performance.now();
      steps += (await store.propagation(chosen)).length;
      times.push(performance.now() - c0);
    }
    log(`[${size}] propagation(5,000 ids): ${times.map((t) => t.toFixed(0)).join(' ')} ms`);

    const radius: number[] = [];
    let reached = 0;
    for (const seed of plan.popularVersions.slice(0, 3)) {
      const r0 = performance.now();
      reached = (await computeBlastRadius(store, [{ id: seed }], {})).affected.length;
      radius.push(performance.now() - r0);
    }
    log(`[${size}] blast radius of the 3 most popular versions: ${radius.map((t) => t.toFixed(0)).join(' ')} ms`);
    rows.push({
      size,
      nodes: stats.totalNodes,
      edges: stats.totalEdges,
      ingestSeconds: round(ingestSeconds),
      recordsPerSecond: Math.round((stats.totalNodes + stats.totalEdges) / ingestSeconds),
      propagationMedianMs: round(percentile(times, 50)),
      propagationP95Ms: round(percentile(times, 95)),
      stepsPerCall: Math.round(steps / calls),
      radiusMedianMs: round(percentile(radius, 50)),
      reached,
    });
  }
  if (!process.env.BENCH_KEEP) await store.clear();
} finally {
  await store.close();
}
const keys = Object.keys(rows[0] ?? {}) as (keyof Row)[];
process.stdout.write(
  [`| ${keys.join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${keys.map((k) => r[k]).join(' | ')} |`)].join('\n') + '\n',
);

async function allIds(s: GraphStore): Promise<string[]> {
  const out: string[] = [];
  for (let after = ''; ; ) {
    const page = await s.listNodes({ first: 50_000, after });
    if (page.length === 0) return out;
    for (const n of page) out.push(n.id);
    after = page.at(-1)!.id;
  }
}

function sample(ids: readonly string[], n: number, rand: () => number): string[] {
  const chosen = new Set<string>();
  while (chosen.size < Math.min(n, ids.length)) chosen.add(ids[Math.floor(rand() * ids.length)]!);
  return [...chosen];
}


function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
