/**
 * /healthz and /readyz on every store, and a real Neo4j outage: with the database stopped the server
 * keeps running, /readyz says why (503), queries fail fast with STORE_UNAVAILABLE, and when the
 * database is back everything recovers without a restart.
 *
 * The outage uses its own local Neo4j on port 7693 (BLAST_OUTAGE_NEO4J_PORT), started and stopped with
 * scripts/neo4j. It never touches the instance on 7687 that other suites may share.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/open-store.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES, useStore } from '../support/stores.js';
import { TRANSPORTS, errorCode, gql, loadScenario, makeApp, overHttp, useTransport, type Transport } from './helpers.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/neo4j', import.meta.url));
const OUTAGE_PORT = process.env.BLAST_OUTAGE_NEO4J_PORT || '7693';
/** Starting Neo4j takes ~20 s on an idle machine and minutes on a loaded one. */
const NEO4J_START_MS = 10 * 60_000;

function neo4jScript(command: 'start' | 'stop' | 'status'): Promise<{ code: number; output: string }> {
  if (OUTAGE_PORT === '7687') throw new Error('the outage test must not stop the shared Neo4j on 7687; use another BLAST_OUTAGE_NEO4J_PORT');
  return new Promise((resolve) => {
    execFile(SCRIPT, [command], { env: { ...process.env, NEO4J_BOLT_PORT: OUTAGE_PORT, NEO4J_HEAP: process.env.NEO4J_HEAP || '1g', NEO4J_PAGECACHE: process.env.NEO4J_PAGECACHE || '512m' }, timeout: NEO4J_START_MS }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

describe.each(STORES)('health endpoints: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s));

  describe.each(TRANSPORTS)('over $name', ({ open }) => {
    let t: Transport;
    useTransport(() => open(makeApp(store, { tokens: 'only-token-0123456789:viewer' })), (x) => (t = x));

    it('/healthz says the process is alive, /readyz that the store answers; neither needs a token', async () => {
      const health = await t.fetch(new Request(`${t.base}/healthz`));
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: 'ok' });
      const ready = await t.fetch(new Request(`${t.base}/readyz`));
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', ready: true, store: adapter.backend });
      expect((await t.fetch(new Request(`${t.base}/healthz`, { method: 'POST' }))).status).toBe(405);
    });
  });
});

describe(`Neo4j outage and recovery (own instance on port ${OUTAGE_PORT})`, () => {
  let store: GraphStore;
  let t: Transport;
  /** Whether this suite started the instance (then it stops it again), or found it running. */
  let startedHere = false;
  const q = (query: string) => gql(t.fetch, t.base, query);
  const ready = async () => {
    const r = await t.fetch(new Request(`${t.base}/readyz`));
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    const started = await neo4jScript('start');
    if (started.code !== 0) throw new Error(`scripts/neo4j start on ${OUTAGE_PORT} failed:\n${started.output}`);
    startedHere = !/already running/.test(started.output);
    store = await openStore({ backend: 'neo4j', neo4j: { uri: `bolt://127.0.0.1:${OUTAGE_PORT}`, user: 'neo4j', password: 'neo4j' } });
    await store.clear();
    await loadScenario(store);
    t = await overHttp(makeApp(store, { health: { probeIntervalMs: 250, maxProbeIntervalMs: 1000, pingTimeoutMs: 3000 } }));
  }, NEO4J_START_MS);

  afterAll(async () => {
    // Leave the instance as found: stopped if this suite started it, running otherwise (even when a
    // step failed midway), so no Neo4j outlives the run on this port.
    await t?.close();
    if (!startedHere && (await neo4jScript('status')).code !== 0) await neo4jScript('start');
    await store?.clear().catch(() => undefined);
    await store?.close();
    if (startedHere) await neo4jScript('stop');
  }, NEO4J_START_MS);

  it('keeps serving, reports why, fails fast, and recovers by itself', async () => {
    const query = `{ blastRadius(seeds: [{ id: "pkg:pypi/litellm@1.82.8" }]) { customers { id } } }`;
    const before = await q(query);
    expect(before.body.errors).toBeUndefined();
    expect((await ready()).status).toBe(200);

    const stopped = await neo4jScript('stop');
    expect(stopped.code, stopped.output).toBe(0);

    // The process is alive; readiness explains (at first perhaps only that the ping went unanswered,
    // then the driver's own reason).
    expect((await t.fetch(new Request(`${t.base}/healthz`))).status).toBe(200);
    const notReady = await ready();
    expect(notReady.status).toBe(503);
    expect(notReady.body).toMatchObject({ ready: false, store: 'neo4j', status: 'unavailable' });
    await expect.poll(async () => String((await ready()).body.reason), { timeout: 30_000, interval: 250 }).toMatch(/Neo4j at bolt:\/\/127\.0\.0\.1:\d+ is unavailable|unreachable/);

    // Queries fail with STORE_UNAVAILABLE, and fast: the breaker is open, no driver timeout is waited out.
    const first = await q(query);
    expect(errorCode(first)).toBe('STORE_UNAVAILABLE');
    for (let i = 0; i < 3; i++) {
      const started = Date.now();
      const r = await q(`{ node(id: "org:meta") { id } }`);
      expect(errorCode(r)).toBe('STORE_UNAVAILABLE');
      expect(Date.now() - started).toBeLessThan(1000);
    }

    const restarted = await neo4jScript('start');
    expect(restarted.code, restarted.output).toBe(0);
    await expect.poll(async () => (await ready()).status, { timeout: 120_000, interval: 500 }).toBe(200);
    // Bolt may answer a little before the database is online; the server keeps recovering by itself.
    let after = await q(query);
    const deadline = Date.now() + 60_000;
    while (after.body.errors && errorCode(after) === 'STORE_UNAVAILABLE' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      after = await q(query);
    }
    expect(after.body.errors, JSON.stringify(after.body.errors)).toBeUndefined();
    expect(after.body.data).toEqual(before.body.data);
  }, NEO4J_START_MS + 180_000);
});
