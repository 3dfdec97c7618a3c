/**
 * `blast serve` as `npm start` runs it: the compiled CLI (bin/blast.js, so `npm run build` first, as
 * `npm test` does) on a real port, seeding the reference scenario into an empty store, serving
 * GraphQL, health and the explorer hook, and stopping cleanly on SIGTERM; on every store. It also
 * starts while Neo4j is unreachable and says so on /readyz.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES } from '../support/stores.js';
import { gql } from './helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin', 'blast.js');

interface Served {
  child: ChildProcess;
  origin: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** Starts `blast serve FLAGS` on a free port; resolves once it printed its URL. */
function serve(flags: string[], env: Record<string, string>): Promise<Served> {
  if (!existsSync(join(ROOT, 'dist', 'server', 'cli', 'commands', 'serve.js'))) {
    throw new Error('dist/ has no serve command: run `npm run build` first (npm test does)');
  }
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', ...flags], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`blast serve did not print its URL in time:\n${err}`)), 120_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /^(http:\/\/127\.0\.0\.1:\d+)\/$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, origin: m[1]!, stderr: () => err, exit });
      }
    });
    void exit.then((code) => reject(new Error(`blast serve exited early (${code}):\n${err}`)));
  });
}

async function stop(s: Served): Promise<number | null> {
  s.child.kill('SIGTERM');
  return s.exit;
}

function storeEnv(store: GraphStore, dataDir: string): Record<string, string> {
  if (store.backend === 'embedded') return { BLAST_STORE: 'embedded', BLAST_DATA_DIR: dataDir };
  const neo4j = inject('neo4j');
  return { BLAST_STORE: 'neo4j', NEO4J_URI: neo4j.uri, NEO4J_USER: neo4j.user, NEO4J_PASSWORD: neo4j.password, ...(neo4j.database && { NEO4J_DATABASE: neo4j.database }) };
}

describe.each(STORES)('blast serve: $backend', (adapter) => {
  let store: GraphStore;
  let dataDir: string;
  beforeAll(async () => {
    store = await adapter.setup();
    dataDir = mkdtempSync(join(tmpdir(), 'blast-serve-'));
  });
  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await adapter.teardown(store);
  });

  it('seeds an empty store, serves /graphql, /healthz, /readyz and /, and stops on SIGTERM', async () => {
    const served = await serve(['--seed-if-empty'], storeEnv(store, dataDir));
    try {
      expect(served.stderr()).toMatch(/loaded seed\/reference\/scenario\.yaml \(151 nodes/);
      const stats = await gql(fetch, served.origin, `{ stats { store totalNodes } }`);
      expect(stats.body.data).toEqual({ stats: { store: adapter.backend, totalNodes: 151 } });
      const radius = await gql(fetch, served.origin, `{ blastRadius(seeds: [{ id: "pkg:pypi/litellm@1.82.8" }]) { customers { id } } }`);
      expect(radius.body.data!.blastRadius.customers).toHaveLength(6);
      expect((await fetch(`${served.origin}/healthz`)).status).toBe(200);
      expect((await fetch(`${served.origin}/readyz`)).status).toBe(200);
      const page = await fetch(`${served.origin}/`);
      expect(page.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    } finally {
      expect(await stop(served)).toBe(0);
    }
    expect(served.stderr()).toMatch(/SIGTERM: shutting down[\s\S]*stopped/);
    // Seeding happens only into an empty store.
    const again = await serve(['--seed-if-empty'], storeEnv(store, dataDir));
    expect(await stop(again)).toBe(0);
    expect(again.stderr()).not.toMatch(/loaded seed/);
  });
});

describe('blast serve without a reachable Neo4j', () => {
  it('starts anyway, reports why on /readyz, answers STORE_UNAVAILABLE, and stops cleanly', async () => {
    const s = await serve([], { BLAST_STORE: 'neo4j', NEO4J_URI: 'bolt://127.0.0.1:1', NEO4J_USER: 'neo4j', NEO4J_PASSWORD: 'neo4j' });
    try {
      expect(s.stderr()).toMatch(/the neo4j store is not available yet/);
      expect((await fetch(`${s.origin}/healthz`)).status).toBe(200);
      const ready = await fetch(`${s.origin}/readyz`);
      expect(ready.status).toBe(503);
      expect((await ready.json()).reason).toMatch(/bolt:\/\/127\.0\.0\.1:1/);
      const r = await gql(fetch, s.origin, `{ node(id: "org:meta") { id } }`);
      expect(r.body.errors![0]!.extensions!.code).toBe('STORE_UNAVAILABLE');
    } finally {
      expect(await stop(s)).toBe(0);
    }
  });
});
