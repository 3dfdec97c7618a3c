/**
 * One small query must not tie up the server (issue 17, item 2): fifteen aliases of a nested
 * `neighborhood(hops: 4)` passed graphql-armor's depth, cost and alias limits (which count only page
 * sizes written in the query), ran for 72 s past the TIMEOUT and blocked /healthz. Now lists count at
 * the size the server returns (defaults, variables, server caps) and such a query is refused before
 * it runs; a query that does run is cut off at the deadline, and its work really stops. /healthz
 * answers throughout. On every store, over a real socket.
 */
import { describe, expect, it } from 'vitest';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES, useStore } from '../support/stores.js';
import { errorCode, gql, loadScenario, makeApp, overHttp } from './helpers.js';

const nested = (aliases: number) =>
  `{ ${Array.from({ length: aliases }, (_, i) => `a${i}: neighborhood(id: "svc:labelwise/llm-gateway", hops: 4) { nodes { id edges { toNode { id edges { toNode { id } } } } } }`).join(' ')} }`;

/** The store, with every edgesOf call counted and slowed down (a big graph, a busy database). */
function slowed(store: GraphStore, delayMs: number) {
  const calls = { edgesOf: 0 };
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (prop !== 'edgesOf' || typeof value !== 'function') return typeof value === 'function' ? value.bind(target) : value;
      return async (...args: unknown[]) => {
        calls.edgesOf++;
        await new Promise((r) => setTimeout(r, delayMs));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: wrapped, calls };
}

/** Polls /healthz every 20 ms until `done` settles; returns every answer's status and latency. */
async function pollHealth(origin: string, done: Promise<unknown>): Promise<Array<{ status: number; ms: number }>> {
  const answers: Array<{ status: number; ms: number }> = [];
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    const started = performance.now();
    const r = await fetch(`${origin}/healthz`);
    await r.text();
    answers.push({ status: r.status, ms: performance.now() - started });
    await new Promise((r) => setTimeout(r, 20));
  }
  return answers;
}

describe.each(STORES)('nested neighbourhood aliases: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { prepare: loadScenario });

  it('the 15-alias nested query is refused before it runs, naming the limit; /healthz answers meanwhile', async () => {
    const t = await overHttp(makeApp(store));
    try {
      const query = gql(t.fetch, t.base, nested(15));
      const health = await pollHealth(t.base, query);
      const r = await query;
      expect(r.status).toBe(400);
      expect(errorCode(r)).toBe('LIMIT_EXCEEDED');
      expect(r.body.errors![0]!.message).toMatch(/Result size limit of 1,000,000 values exceeded/);
      expect(r.body.data).toBeUndefined();
      expect(health.length).toBeGreaterThan(0);
      expect(health.every((h) => h.status === 200)).toBe(true);
      // Defaults count: one nested neighbourhood at the default page sizes is over the limit too; so
      // are sizes passed in variables, which graphql-armor's cost limit does not see.
      expect(errorCode(await gql(t.fetch, t.base, nested(1)))).toBe('LIMIT_EXCEEDED');
      const paged = await gql(t.fetch, t.base, `query ($n: Int, $m: Int) { nodes(first: $n) { edges { node { edges(first: $m) { toNode { edges(first: $m) { key } } } } } } }`, { n: 500, m: 1000 });
      expect(errorCode(paged)).toBe('LIMIT_EXCEEDED');
      // What the explorer asks for still runs.
      const hood = await gql(t.fetch, t.base, `query ($hops: Int) { neighborhood(id: "svc:labelwise/llm-gateway", hops: $hops) { nodes { id kind name } edges { key kind from to } truncated } }`, { hops: 4 });
      expect(hood.body.errors).toBeUndefined();
      expect(hood.body.data?.neighborhood.nodes.length).toBeGreaterThan(10);
    } finally {
      await t.close();
    }
  });

  it('a query past the deadline answers TIMEOUT and its work stops; /healthz answers meanwhile', async () => {
    // Slow enough that the walk needs several times the 400 ms deadline, however fast the machine.
    const { store: slow, calls } = slowed(store, 250);
    // Limits raised so the query passes the estimate and runs until the deadline cuts it off.
    const t = await overHttp(makeApp(slow, { limits: { maxResultObjects: 1e15, requestTimeoutMs: 400 } }));
    try {
      const query = gql(t.fetch, t.base, nested(15));
      const health = await pollHealth(t.base, query);
      const r = await query;
      expect(errorCode(r)).toBe('TIMEOUT');
      expect(health.every((h) => h.status === 200)).toBe(true);
      // Cancelled for real: once the calls in flight have settled (no new one for 500 ms; a loaded
      // machine may take a while), no store call starts.
      const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
      let settled = calls.edgesOf;
      for (let quiet = 0, waited = 0; quiet < 500 && waited < 10_000; waited += 100) {
        await sleep(100);
        if (calls.edgesOf === settled) quiet += 100;
        else [settled, quiet] = [calls.edgesOf, 0];
      }
      await sleep(600);
      expect(calls.edgesOf).toBe(settled);
    } finally {
      await t.close();
    }
  });

  it('an answer past the response size limit is replaced by TOO_LARGE', async () => {
    const q = `{ blastRadius(seeds: [{ id: "pkg:githubactions/aquasecurity/trivy-action@0.33.1" }]) { affected { id path { from to arrival sources } } } }`;
    const open = await overHttp(makeApp(store));
    const tight = await overHttp(makeApp(store, { limits: { maxResponseBytes: 16 * 1024 } }));
    try {
      const full = await gql(open.fetch, open.base, q);
      expect(full.body.errors, JSON.stringify(full.body.errors)).toBeUndefined();
      expect(JSON.stringify(full.body).length).toBeGreaterThan(16 * 1024);
      const r = await gql(tight.fetch, tight.base, q);
      expect(errorCode(r)).toBe('TOO_LARGE');
      expect(r.body.errors![0]!.message).toMatch(/over the limit of 16,384/);
      expect(r.body.data ?? null).toBeNull();
      // Small answers are untouched.
      expect((await gql(tight.fetch, tight.base, '{ stats { totalNodes } }')).body.errors).toBeUndefined();
    } finally {
      await open.close();
      await tight.close();
    }
  });
});
