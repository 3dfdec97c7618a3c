/**
 * `npm run bench`: every benchmark, a Markdown table each, and one JSON file under bench/results/.
 *
 *   BENCH_ONLY=store,ingest,export,api,browser,incident   which parts (default: all)
 *   BENCH_SIZES=S,M                              synthetic sizes for the store bench (add L: ~1M nodes, ~5M edges; long)
 *   BENCH_STORES=embedded,neo4j                  stores (default: both)
 *   BENCH_EMBEDDED_DIR_L=DIR (or _S, _M)         keep that size's embedded graph in DIR: filled on the
 *                                                first run, reused (ingest not measured) after
 *   BENCH_API_SECONDS=60, BENCH_API_CONNECTIONS=50
 *   BENCH_PLAN_SIZE=M, BENCH_INCIDENT_DIR=DIR     incident part: the containment plan and the incident
 *                                                re-evaluation on one synthetic graph (kept in DIR;
 *                                                its own folder: the part writes incidents into it)
 *
 * Neo4j: NEO4J_URI when set, else the local one (scripts/neo4j start).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreBackend } from '../../server/store/graph-store.js';
import type { SizeName } from '../../seed/synthetic/generate.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const only = new Set((process.env.BENCH_ONLY ?? 'store,ingest,export,api,browser,incident').split(','));
const sizes = (process.env.BENCH_SIZES ?? 'S,M').split(',') as SizeName[];
const stores = (process.env.BENCH_STORES ?? 'embedded,neo4j').split(',') as StoreBackend[];
const log = (s: string) => process.stderr.write(`${s}\n`);

async function main(): Promise<void> {
  if (stores.includes('neo4j') && !process.env.NEO4J_URI && ['store', 'ingest', 'api'].some((part) => only.has(part))) {
    log('starting the local Neo4j (scripts/neo4j start)');
    execFileSync(join(ROOT, 'scripts/neo4j'), ['start'], { stdio: 'inherit' });
  }
  const results: Record<string, unknown> = {
    startedAt: new Date().toISOString(),
    commit: gitCommit(),
    loadAverageAtStart: loadavg(),
    node: process.version,
    sizes,
    stores,
  };
  const tables: string[] = [];
  if (only.has('ingest')) {
    const { runIngestBench, ingestBenchTable } = await import('./ingest-bench.js');
    const rows = await runIngestBench({ stores });
    results.ingest = rows;
    tables.push(`### Ingest\n\n${ingestBenchTable(rows)}`);
  }
  if (only.has('store')) {
    const { runStoreBench, storeBenchTable } = await import('./store-bench.js');
    const rows = await runStoreBench({ sizes, stores, log });
    results.store = rows;
    tables.push(`### Store and engine\n\n${storeBenchTable(rows)}`);
  }
  if (only.has('export')) {
    const { runExportBench, formatExportBench } = await import('./export-bench.js');
    const rows = await runExportBench({ stores: ['embedded'], log });
    results.export = rows;
    tables.push(`### Export (10,000 affected nodes)\n\n${formatExportBench(rows)}`);
  }
  if (only.has('api')) {
    const { runApiLoad, markdownTable } = await import('./api-load.js');
    const rows = await runApiLoad({
      stores,
      durationSec: Number(process.env.BENCH_API_SECONDS) || 60,
      connections: Number(process.env.BENCH_API_CONNECTIONS) || 50,
      log,
      resultsDir: null,
    });
    results.api = rows;
    tables.push(`### GraphQL load\n\n${markdownTable(rows)}`);
  }
  if (only.has('browser')) {
    const { runBrowserBench } = await import('./browser-bench.js');
    const rows = await runBrowserBench({ log });
    results.browser = rows;
    tables.push(`### Browser (explorer)\n\n${objectTable(rows as unknown as Array<Record<string, unknown>>)}`);
  }
  if (only.has('incident')) {
    const size = (process.env.BENCH_PLAN_SIZE ?? 'M') as SizeName;
    const dir = process.env.BENCH_INCIDENT_DIR;
    const { runPlanBench, planBenchTable } = await import('./plan-bench.js');
    const { runIncidentBench, incidentBenchTable } = await import('./incident-bench.js');
    const plan = await runPlanBench(size, dir, log);
    // Without a kept folder the incident bench ingests the graph again (plan-bench removed its copy).
    const incidents = await runIncidentBench(size, dir, false, log);
    results.incident = { size, plan, incidents };
    tables.push(`### Incident day: containment plan and re-evaluation\n\n${planBenchTable(size, plan)}\n\n${incidentBenchTable(size, false, incidents)}`);
  }
  results.finishedAt = new Date().toISOString();
  results.loadAverageAtEnd = loadavg();
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `bench-${(results.startedAt as string).replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${tables.join('\n\n')}\n\nsaved ${file}\n`);
}

/** The checked-out commit (with "+dirty" when the tree has changes), so a result names its code. */
function gitCommit(): string {
  try {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return 'unknown';
  }
}

/** A Markdown table of flat records, one column per key of the first. */
function objectTable(rows: Array<Record<string, unknown>>): string {
  const keys = Object.keys(rows[0] ?? {});
  const cell = (v: unknown) => (Array.isArray(v) ? v.join(' → ') : String(v));
  return [`| ${keys.join(' | ')} |`, `|${keys.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${keys.map((k) => cell(r[k])).join(' | ')} |`)].join('\n');
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).stack ?? err}\n`);
  process.exitCode = 1;
});
