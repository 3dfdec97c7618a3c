/**
 * The GraphQL `ingest` runs off the event loop (server/api/ingest-worker.ts): while a large SBOM
 * (15,000 components, ~4 MB, ~110,000 records: seconds of parsing, hashing and SQLite) ingests
 * through `blast serve` (the compiled CLI, a real socket), /healthz keeps answering, and the mutation
 * answers with the same summary as before; errors keep their codes. Asserts that the server answers
 * during the ingest, never how fast. (Not 10 MB: on a busy 2-core machine that can take longer than
 * the server's 30 s request limit, which abandons the wait, not the write.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticSbom } from '../../scripts/bench/ingest-bench.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(ROOT, 'bin/blast.js');
const INGEST = `mutation ($input: IngestInput!) { ingest(input: $input) { name format nodes { added updated unchanged } edges { added updated unchanged } snapshotId dryRun } }`;

interface Served {
  child: ChildProcess;
  origin: string;
}

function serve(dataDir: string): Promise<Served> {
  if (!existsSync(join(ROOT, 'dist/server/api/ingest-worker.js'))) throw new Error('dist/ has no ingest worker: run `npm run build:server` first');
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', BLAST_STORE: 'embedded', BLAST_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`blast serve did not start:\n${err}`)), 120_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^(http:\/\/127\.0\.0\.1:\d+)\/$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, origin: m[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`blast serve exited (${code}):\n${err}`)));
  });
}

async function gql(origin: string, query: string, variables?: Record<string, unknown>) {
  const res = await fetch(`${origin}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await res.json()) as { data?: Record<string, any>; errors?: Array<{ message: string; extensions?: { code?: string } }> };
}

describe('GraphQL ingest off the event loop (embedded, blast serve)', () => {
  let dir: string;
  let served: Served;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blast-ingest-worker-'));
    served = await serve(join(dir, 'data'));
  }, 180_000);
  afterAll(() => {
    served?.child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('/healthz answers while a large SBOM ingests, and the ingest answers with its summary', { timeout: 600_000 }, async () => {
    const content = syntheticSbom(15_000);
    expect(content.length).toBeGreaterThan(3 * 1024 * 1024);
    let finished = false;
    const ingest = gql(served.origin, INGEST, { input: { name: 'big.cdx.json', content } }).finally(() => (finished = true));
    // One /healthz at a time, each sent after the previous answered: with the loop blocked by the
    // ingest, none could answer before the ingest did.
    let answeredDuring = 0;
    while (!finished) {
      const res = await fetch(`${served.origin}/healthz`);
      expect(res.status).toBe(200);
      await res.arrayBuffer();
      if (!finished) answeredDuring++;
      await new Promise((r) => setTimeout(r, 50));
    }
    const result = await ingest;
    expect(result.errors).toBeUndefined();
    expect(answeredDuring).toBeGreaterThanOrEqual(3);
    const summary = result.data!.ingest;
    expect(summary).toMatchObject({ name: 'big.cdx.json', format: 'cyclonedx', nodes: { added: 30_000, updated: 0, unchanged: 0 }, dryRun: false });
    expect(summary.edges.added).toBeGreaterThan(15_000);
    // The server's own connection sees what the worker wrote.
    const stats = await gql(served.origin, '{ stats { totalNodes snapshotId } }');
    expect(stats.data!.stats).toEqual({ totalNodes: 30_000, snapshotId: summary.snapshotId });
  });

  it('a refused input keeps its error code and changes nothing', { timeout: 120_000 }, async () => {
    const before = await gql(served.origin, '{ stats { snapshotId } }');
    const bad = await gql(served.origin, INGEST, { input: { name: 'bad.json', content: '{"version": 1, "services": [{"id": "svc:x/y", "holds": [7]}]}' } });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_INPUT');
    expect(bad.errors?.[0]?.message).toMatch(/bad\.json/);
    expect(await gql(served.origin, '{ stats { snapshotId } }')).toEqual(before);
  });
});
