/**
 * Ingest benchmark (issue 6): the real 1,115-component juice-shop SBOM on the embedded store (target
 * under 1 s), and a synthetic 50,000-component CycloneDX SBOM on every store (throughput).
 *
 * Issue 13 (`runScaleBench`): the generator graph (seed/synthetic, M = 100k nodes / ~490k edges) through
 * every write path: embedded in 100k-record transactions (as store-bench does) and in one write (the
 * bulk path), Neo4j online in 20k-record transactions, and Neo4j's bulk importer (staging store ->
 * import files -> neo4j-admin import into a scratch NEO4J_HOME; the server start and index creation
 * that `blast load --bulk --local` adds are not in the figure). Peak RSS is the process's.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareFile } from '../../server/ingest/ingest-file.js';
import { resolveAgainstStore } from '../../server/ingest/resolve.js';
import type { StoreBackend } from '../../server/store/graph-store.js';
import type { GraphBatch } from '../../server/model/types.js';
import { freshStore } from './fresh-store.js';
import Database from 'better-sqlite3';
import { planSynthetic, SIZES, type SizeName } from '../../seed/synthetic/generate.js';
import { DB_FILE } from '../../server/store/embedded/schema.js';
import { importArgs, writeImportFiles } from '../../server/store/neo4j/import-files.js';

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

export interface ScaleBenchRow {
  size: SizeName;
  path: string;
  records: number;
  seconds: number;
  recordsPerSecond: number;
  peakRssMb: number;
}

type ScalePath = 'embedded-batches' | 'embedded-one-write' | 'neo4j-online' | 'neo4j-bulk-import';

export async function runScaleBench(opts: { size?: SizeName; paths?: ScalePath[]; log?: (s: string) => void } = {}): Promise<ScaleBenchRow[]> {
  const size = opts.size ?? 'M';
  const log = opts.log ?? ((t: string) => process.stderr.write(`${t}\n`));
  const paths = opts.paths ?? ['embedded-batches', 'embedded-one-write', 'neo4j-online', 'neo4j-bulk-import'];
  const plan = planSynthetic({ nodes: SIZES[size] });
  const rows: ScaleBenchRow[] = [];
  const row = (path: string, records: number, seconds: number) => {
    const r = { size, path, records, seconds: round(seconds), recordsPerSecond: Math.round(records / seconds), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
    log(`[${size}] ${path}: ${records} records in ${r.seconds} s (${r.recordsPerSecond} records/s)`);
    rows.push(r);
  };
  const ingest = async (backend: StoreBackend, batchSize: number | null) => {
    const { store, cleanup } = await freshStore(backend, 'blast-scale-');
    try {
      const t0 = performance.now();
      if (batchSize === null) {
        // One write: the whole graph in one batch (the embedded bulk path on an empty store).
        const all = { input: `synthetic-${size}`, nodes: [] as GraphBatch['nodes'], edges: [] as GraphBatch['edges'] };
        for (const b of plan.batches(1_000_000)) {
          for (const n of b.nodes) all.nodes.push(n);
          for (const e of b.edges) all.edges.push(e);
        }
        await store.write(all);
      } else {
        for (const b of plan.batches(batchSize)) await store.write(b);
      }
      const seconds = (performance.now() - t0) / 1000;
      const stats = await store.stats();
      return { records: stats.totalNodes + stats.totalEdges, seconds, snapshotId: stats.snapshotId };
    } finally {
      await cleanup();
    }
  };
  if (paths.includes('embedded-batches')) {
    const r = await ingest('embedded', 100_000);
    row('embedded, 100k-record writes', r.records, r.seconds);
    log(`[${size}] snapshot ${r.snapshotId}`);
  }
  if (paths.includes('embedded-one-write')) {
    const r = await ingest('embedded', null);
    row('embedded, one write (bulk path)', r.records, r.seconds);
    log(`[${size}] snapshot ${r.snapshotId}`);
  }
  if (paths.includes('neo4j-online')) {
    const r = await ingest('neo4j', 20_000);
    row('neo4j online, 20k-record writes', r.records, r.seconds);
    log(`[${size}] snapshot ${r.snapshotId}`);
  }
  if (paths.includes('neo4j-bulk-import')) {
    const dir = mkdtempSync(join(tmpdir(), 'blast-scale-import-'));
    try {
      const t0 = performance.now();
      const { store, cleanup } = await freshStore('embedded', 'blast-scale-staging-');
      let files;
      try {
        for (const b of plan.batches(100_000)) await store.write(b);
        const db = new Database(join((store as unknown as { dir: string }).dir, DB_FILE), { readonly: true });
        try {
          files = writeImportFiles(db, join(dir, 'import'));
        } finally {
          db.close();
        }
      } finally {
        await cleanup();
      }
      const staged = (performance.now() - t0) / 1000;
      const root = fileURLToPath(new URL('../../../', import.meta.url));
      const classpath = readFileSync(join(root, 'scripts/neo4j-server/target/classpath.txt'), 'utf8').trim();
      const conf = join(dir, 'conf');
      mkdirSync(conf, { recursive: true });
      writeFileSync(join(conf, 'neo4j.conf'), '');
      const t1 = performance.now();
      const r = spawnSync('java', ['-Xmx1g', '-cp', classpath, 'org.neo4j.cli.AdminTool', ...importArgs(files, 'neo4j'), '--threads=2'], {
        env: { ...process.env, NEO4J_HOME: dir, NEO4J_CONF: conf },
        encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`neo4j-admin import failed: ${r.stdout}${r.stderr}`);
      const imported = (performance.now() - t1) / 1000;
      log(`[${size}] neo4j bulk: staging + import files ${staged.toFixed(1)} s, neo4j-admin import ${imported.toFixed(1)} s`);
      row('neo4j bulk: staging + files + neo4j-admin import', files.nodeCount + files.edgeCount, staged + imported);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return rows;
}

export function scaleBenchTable(rows: ScaleBenchRow[]): string {
  return [
    '| size | path | nodes+edges | seconds | records/s | peak RSS (MB) |',
    '|---|---|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.size} | ${r.path} | ${r.records} | ${r.seconds} | ${r.recordsPerSecond} | ${r.peakRssMb} |`),
  ].join('\n');
}

// node dist/scripts/bench/ingest-bench.js scale [S|M|L] [path,...]
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === 'scale') {
  const size = (process.argv[3] ?? 'M') as SizeName;
  const paths = process.argv[4]?.split(',') as ScalePath[] | undefined;
  void runScaleBench({ size, paths }).then((rows) => process.stdout.write(`${scaleBenchTable(rows)}\n`));
}
