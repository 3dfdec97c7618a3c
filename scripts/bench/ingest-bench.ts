/**
 * Ingest benchmark (issue 6): the real 1,115-component juice-shop SBOM on the embedded store (target
 * under 1 s), and a synthetic 50,000-component CycloneDX SBOM on every store (throughput).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareFile } from '../../server/ingest/ingest-file.js';
import { resolveAgainstStore } from '../../server/ingest/resolve.js';
import type { StoreBackend } from '../../server/store/graph-store.js';
import { freshStore } from './fresh-store.js';

export interface IngestBenchRow {
  input: string;
  store: StoreBackend;
  components: number;
  records: number;
  /** Median over the runs, parse + write, on a fresh store each run. */
  seconds: number;
  recordsPerSecond: number;
}

const JUICE_SHOP = fileURLToPath(new URL('../../../../shared/fixtures/real/sbom/cyclonedx/bom-examples-juice-shop-via_npm-flat/bom.1.4.json', import.meta.url));

/** A CycloneDX 1.5 SBOM with `n` npm components and a power-law dependency graph, deterministic. */
export function syntheticSbom(n: number): string {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const ref = (i: number) => `pkg:npm/bench-${i}@1.${i % 10}.0`;
  const components = Array.from({ length: n }, (_, i) => ({ type: 'library', 'bom-ref': ref(i), name: `bench-${i}`, version: `1.${i % 10}.0`, purl: ref(i) }));
  const dependencies = components.map((_, i) => ({
    ref: ref(i),
    dependsOn: [...new Set(Array.from({ length: Math.floor(rand() * 6) }, () => ref(Math.floor(n * rand() ** 3))))].filter((r) => r !== ref(i)),
  }));
  return JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, metadata: { component: { type: 'application', 'bom-ref': 'root', name: 'bench' } }, components, dependencies });
}

async function timeIngest(file: string, backend: StoreBackend, runs: number): Promise<{ seconds: number; records: number }> {
  const times: number[] = [];
  let records = 0;
  for (let r = 0; r < runs; r++) {
    const { store, cleanup } = await freshStore(backend, 'blast-ingest-bench-');
    try {
      const t0 = performance.now();
      const prepared = await prepareFile(file);
      const s = await store.write(await resolveAgainstStore(prepared, store));
      times.push((performance.now() - t0) / 1000);
      records = s.nodes.added + s.edges.added;
    } finally {
      await cleanup();
    }
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)]!, records };
}

export async function runIngestBench(opts: { stores?: StoreBackend[]; syntheticComponents?: number } = {}): Promise<IngestBenchRow[]> {
  const stores = opts.stores ?? ['embedded', 'neo4j'];
  const n = opts.syntheticComponents ?? 50_000;
  const rows: IngestBenchRow[] = [];
  const juice = await timeIngest(JUICE_SHOP, 'embedded', 5);
  rows.push({ input: 'juice-shop bom.1.4.json', store: 'embedded', components: 1115, records: juice.records, seconds: round(juice.seconds), recordsPerSecond: Math.round(juice.records / juice.seconds) });
  const dir = mkdtempSync(join(tmpdir(), 'blast-sbom-'));
  const file = join(dir, 'synthetic.cdx.json');
  writeFileSync(file, syntheticSbom(n));
  try {
    for (const backend of stores) {
      const r = await timeIngest(file, backend, 1);
      rows.push({ input: `synthetic CycloneDX`, store: backend, components: n, records: r.records, seconds: round(r.seconds), recordsPerSecond: Math.round(r.records / r.seconds) });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

export function ingestBenchTable(rows: IngestBenchRow[]): string {
  return [
    '| input | store | components | nodes+edges | seconds (median) | records/s |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.input} | ${r.store} | ${r.components} | ${r.records} | ${r.seconds} | ${r.recordsPerSecond} |`),
  ].join('\n');
}
