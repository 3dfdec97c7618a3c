/**
 * API load benchmark: autocannon against `blast serve`'s app on 127.0.0.1 with the reference scenario,
 * for two workloads: node lookups (one `node(id)` per request, cycling through every node) and the
 * reference incident's full blastRadius (the contract selection, seeded from the Trivy action).
 * Prints a Markdown table and saves JSON under bench/results/.
 *
 * The server runs in a child process of this script (the same app as `blast serve`, on loopback), so
 * the load generator and the server do not share one event loop and the server's RSS is its own.
 *
 *   npm run build && node dist/scripts/bench/api-load.js [--duration 60] [--connections 50] [--stores embedded,neo4j]
 *
 * The neo4j store is the one NEO4J_URI names, and it is CLEARED first: point it at a scratch database.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../server/api/create-app.js';
import { listen } from '../../server/api/listen.js';
import { packageRoot } from '../../server/package-root.js';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import type { GraphStore, StoreBackend } from '../../server/store/graph-store.js';
import { openStore, storeSettingsFromEnv } from '../../server/store/open-store.js';

export interface ApiLoadOptions {
  /** Seconds per workload. @default 60 */
  durationSec?: number;
  /** Concurrent connections. @default 50 */
  connections?: number;
  /** @default ['embedded'] */
  stores?: StoreBackend[];
  /** Progress lines. @default stderr */
  log?: (line: string) => void;
  /** Where the JSON goes; null: not saved. @default <package root>/bench/results */
  resultsDir?: string | null;
}

export interface ApiLoadRow {
  store: StoreBackend;
  workload: 'node lookup' | 'blastRadius (reference)';
  connections: number;
  durationSec: number;
  requests: number;
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Socket errors (timeouts included), non-2xx responses and responses carrying GraphQL errors. */
  errors: number;
  /** Requests without an answer within autocannon's 10 s (also counted in errors). */
  timeouts: number;
  rssStartMb: number;
  rssEndMb: number;
}

/** Keeps a run bounded whatever the arguments say. */
const MAX_DURATION_SEC = 600;
const MAX_CONNECTIONS = 1000;
const TRIVY = 'pkg:githubactions/aquasecurity/trivy-action@0.33.1';
const NODE_QUERY = 'query ($id: ID!) { node(id: $id) { id kind name props } }';
const BLAST_QUERY = `query ($seeds: [SeedInput!]) { blastRadius(seeds: $seeds) { snapshotId seeds { id at found } options
  affected { id kind name firstExposedAt hops confidence path { from edge to arrival sources } }
  customers { id name firstExposedAt reasons { via path { from edge to arrival sources } } } } }`;

export async function runApiLoad(opts: ApiLoadOptions = {}): Promise<ApiLoadRow[]> {
  const durationSec = bounded(opts.durationSec ?? 60, 1, MAX_DURATION_SEC, 'durationSec');
  const connections = bounded(opts.connections ?? 50, 1, MAX_CONNECTIONS, 'connections');
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const rows: ApiLoadRow[] = [];
  for (const store of opts.stores ?? ['embedded']) {
    const server = await startServer(store);
    log(`[${store}] server on ${server.origin} (${server.ids.length} nodes)`);
    try {
      const nodeBodies = server.ids.map((id) => JSON.stringify({ query: NODE_QUERY, variables: { id } }));
      let next = 0;
      const workloads: Array<{ name: ApiLoadRow['workload']; request: AutocannonRequest }> = [
        { name: 'node lookup', request: { method: 'POST', setupRequest: (req) => ({ ...req, body: nodeBodies[next++ % nodeBodies.length] }) } },
        { name: 'blastRadius (reference)', request: { method: 'POST', body: JSON.stringify({ query: BLAST_QUERY, variables: { seeds: [{ id: TRIVY }] } }) } },
      ];
      for (const w of workloads) {
        const rssStart = await server.rss();
        log(`[${store}] ${w.name}: ${connections} connections for ${durationSec} s`);
        const result = await autocannon({
          url: `${server.origin}/graphql`,
          connections,
          duration: durationSec,
          headers: { 'content-type': 'application/json' },
          requests: [w.request],
          // A GraphQL error comes with HTTP 200: count it as an error too.
          verifyBody: (body: string) => !body.includes('"errors"'),
        });
        rows.push({
          store,
          workload: w.name,
          connections,
          durationSec,
          requests: result.requests.total,
          requestsPerSec: round(result.requests.average),
          p50Ms: round(result.latency.p50),
          p99Ms: round(result.latency.p99),
          maxMs: round(result.latency.max),
          // autocannon counts a timeout in `errors` too.
          errors: result.errors + result.non2xx + (result.mismatches ?? 0),
          timeouts: result.timeouts,
          rssStartMb: round(rssStart / 2 ** 20),
          rssEndMb: round((await server.rss()) / 2 ** 20),
        });
      }
    } finally {
      await server.stop();
    }
  }
  const resultsDir = opts.resultsDir === undefined ? join(packageRoot(), 'bench', 'results') : opts.resultsDir;
  if (resultsDir) {
    mkdirSync(resultsDir, { recursive: true });
    const file = join(resultsDir, `api-load-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    const machine = { node: process.version, platform: process.platform, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown' };
    writeFileSync(file, `${JSON.stringify({ benchmark: 'api-load', machine, rows }, null, 2)}\n`);
    log(`saved ${file}`);
  }
  return rows;
}

export function markdownTable(rows: readonly ApiLoadRow[]): string {
  const head = '| store | workload | connections | duration s | requests | req/s | p50 ms | p99 ms | max ms | errors (timeouts) | RSS start MB | RSS end MB |';
  const rule = '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|';
  const lines = rows.map(
    (r) =>
      `| ${r.store} | ${r.workload} | ${r.connections} | ${r.durationSec} | ${r.requests} | ${r.requestsPerSec} | ${r.p50Ms} | ${r.p99Ms} | ${r.maxMs} | ${r.errors} (${r.timeouts}) | ${r.rssStartMb} | ${r.rssEndMb} |`,
  );
  return [head, rule, ...lines].join('\n');
}

// --- the server, in a child process --------------------------------------------------------------

interface ServerHandle {
  origin: string;
  ids: string[];
  rss(): Promise<number>;
  stop(): Promise<void>;
}

type ChildMessage = { type: 'ready'; origin: string; ids: string[] } | { type: 'rss'; rss: number } | { type: 'error'; message: string };

async function startServer(store: StoreBackend): Promise<ServerHandle> {
  const child = fork(fileURLToPath(import.meta.url), ['--serve-child', store], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ready = await nextMessage(child);
  if (ready.type !== 'ready') throw new Error(`the benchmark server did not start: ${ready.type === 'error' ? ready.message : ready.type}`);
  return {
    origin: ready.origin,
    ids: ready.ids,
    async rss() {
      child.send({ type: 'rss' });
      const m = await nextMessage(child);
      if (m.type !== 'rss') throw new Error('the benchmark server did not report its RSS');
      return m.rss;
    },
    async stop() {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'stop' });
      await exited;
    },
  };
}

function nextMessage(child: ChildProcess): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`the benchmark server exited (${code})`));
    child.once('exit', onExit);
    child.once('message', (m) => {
      child.off('exit', onExit);
      resolve(m as ChildMessage);
    });
  });
}

/** The child: a fresh store with the reference scenario, the app on 127.0.0.1, RSS on request. */
async function serveChild(backend: StoreBackend): Promise<void> {
  let store: GraphStore;
  let dataDir: string | undefined;
  if (backend === 'embedded') {
    dataDir = mkdtempSync(join(tmpdir(), 'blast-api-bench-'));
    store = await openStore({ backend, dataDir });
  } else {
    store = await openStore(storeSettingsFromEnv(process.env, 'neo4j'));
    await store.clear();
  }
  const scenario = join(packageRoot(), 'seed', 'reference', 'scenario.yaml');
  await store.write(prepareInput('seed/reference/scenario.yaml', readFileSync(scenario)).batch);
  const ids = (await store.listNodes({ first: 100_000 })).map((n) => n.id);
  const app = createApp({ store, webRoot: null });
  const listening = await listen(app, { host: '127.0.0.1', port: 0 });
  process.on('message', async (m: { type: string }) => {
    if (m.type === 'rss') process.send!({ type: 'rss', rss: process.memoryUsage().rss });
    if (m.type === 'stop') {
      await listening.close();
      if (backend === 'neo4j') await store.clear();
      await store.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    }
  });
  process.send!({ type: 'ready', origin: listening.origin, ids });
}

// --- autocannon (CommonJS, untyped) ---------------------------------------------------------------

interface AutocannonRequest {
  method: string;
  body?: string;
  setupRequest?: (req: Record<string, unknown>) => Record<string, unknown>;
}

interface AutocannonResult {
  requests: { total: number; average: number };
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  mismatches?: number;
}

function autocannon(opts: Record<string, unknown>): Promise<AutocannonResult> {
  const run = createRequire(import.meta.url)('autocannon') as (o: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => unknown;
  return new Promise((resolve, reject) => run(opts, (err, result) => (err ? reject(err) : resolve(result))));
}

// --- command line ---------------------------------------------------------------------------------

function bounded(n: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}`);
  return n;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args[0] === '--serve-child') {
    serveChild(args[1] as StoreBackend).catch((err) => {
      process.send?.({ type: 'error', message: String((err as Error)?.message ?? err) });
      process.exit(1);
    });
  } else {
    const rows = await runApiLoad({
      durationSec: Number(argValue(args, '--duration') ?? 60),
      connections: Number(argValue(args, '--connections') ?? 50),
      stores: (argValue(args, '--stores') ?? 'embedded').split(',') as StoreBackend[],
    });
    process.stdout.write(`${markdownTable(rows)}\n`);
  }
}
