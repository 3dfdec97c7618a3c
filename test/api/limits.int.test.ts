/**
 * What the API refuses and how: depth, cost, alias and token limits (LIMIT_EXCEEDED), the body size
 * limit (HTTP 413, declared or streamed), CSRF prevention, the execution timeout, masked unexpected
 * errors, stable codes for BlastErrors, the fail-fast breaker, and production hardening; on every
 * store, over a real socket and in process.
 */
import { request as httpRequest } from 'node:http';
import { getIntrospectionQuery } from 'graphql';
import { describe, expect, it } from 'vitest';
import { BlastError } from '../../server/model/errors.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES, useStore } from '../support/stores.js';
import { TRANSPORTS, errorCode, gql, inProcess, loadScenario, makeApp, overHttp, useTransport, type Transport } from './helpers.js';

type Fault = null | 'plain' | 'internal' | 'unavailable' | 'slow';

/** The store, with a switch that makes every call fail (or crawl) the way a broken store would. */
function faulty(store: GraphStore) {
  const control: { fault: Fault; calls: number } = { fault: null, calls: 0 };
  const wrapped = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        // The breaker's background probe pings; anything else is a query reaching the store.
        if (prop !== 'ping') control.calls++;
        switch (control.fault) {
          case 'plain':
            throw new TypeError('cannot read properties of undefined (reading "secret internal detail")');
          case 'internal':
            throw new BlastError('INTERNAL', 'edge e1 points at a missing node (internal detail)');
          case 'unavailable':
            if (prop !== 'close') throw new BlastError('STORE_UNAVAILABLE', 'Neo4j at bolt://10.0.0.9:7687 is unreachable (ECONNREFUSED)');
            break;
          case 'slow':
            await new Promise((r) => setTimeout(r, 400));
            break;
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: wrapped, control };
}

describe.each(STORES)('limits and errors: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { prepare: loadScenario });

  describe.each(TRANSPORTS)('over $name', ({ open }) => {
    let t: Transport;
    const q = (query: string, variables?: Record<string, unknown>, headers?: Record<string, string>) => gql(t.fetch, t.base, query, variables, { headers });
    useTransport(() => open(makeApp(store, { limits: { maxBodyBytes: 64 * 1024 } })), (x) => (t = x));

    it('refuses queries past the depth, alias, cost and token limits with LIMIT_EXCEEDED', async () => {
      const cases: Array<[string, RegExp]> = [
        [`{ node(id: "org:meta") { edges { fromNode { edges { fromNode { edges { fromNode { edges { fromNode { edges { fromNode { id } } } } } } } } } } } }`, /depth limit of 10/],
        [`{ ${Array.from({ length: 16 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`, /Aliases limit of 15/],
        [`{ nodes(first: 500) { edges { node { edges(first: 1000) { fromNode { edges(first: 1000) { key } } } } } } }`, /Cost limit of 50000/],
        [`{ viewer { ${'__typename '.repeat(2001)} } }`, /Token limit of 2000/],
      ];
      for (const [query, message] of cases) {
        const r = await q(query);
        expect(r.status).toBe(400);
        expect(errorCode(r)).toBe('LIMIT_EXCEEDED');
        expect(r.body.errors![0]!.message).toMatch(message);
        expect(r.body.data).toBeUndefined();
      }
      // At the limits, queries run: 15 aliases, a full 500-node page.
      expect((await q(`{ ${Array.from({ length: 15 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`)).body.errors).toBeUndefined();
      expect((await q(`{ nodes(first: 500) { edges { node { id edges { kind toNode { id } } } } } }`)).body.errors).toBeUndefined();
    });

    it('answers 413 TOO_LARGE for a body over the limit, before reading it', async () => {
      const content = 'x'.repeat(70 * 1024);
      const r = await q(`mutation ($c: String!) { ingest(input: { name: "big.txt", content: $c }) { format } }`, { c: content });
      expect(r.status).toBe(413);
      expect(errorCode(r)).toBe('TOO_LARGE');
      expect(r.body.errors![0]!.message).toMatch(/exceeds the limit of 64 KiB \(65536 bytes\)/);
      // Under the limit the mutation runs (and refuses the content itself).
      expect(errorCode(await q(`mutation ($c: String!) { ingest(input: { name: "small.txt", content: $c }) { format } }`, { c: 'x'.repeat(1000) }))).toBe('UNKNOWN_FORMAT');
    });

    it('prevents CSRF: GET and form posts need a custom header, JSON posts do not', async () => {
      const url = `${t.base}/graphql?query=${encodeURIComponent('{ viewer { role } }')}`;
      const bare = await t.fetch(new Request(url));
      expect(bare.status).toBe(403);
      expect((await bare.json()).errors[0].extensions.code).toBe('CSRF_PREVENTED');
      expect((await t.fetch(new Request(url, { headers: { 'x-graphql-yoga-csrf': '1' } }))).status).toBe(200);
      for (const type of ['text/plain', 'application/x-www-form-urlencoded']) {
        const r = await t.fetch(new Request(`${t.base}/graphql`, { method: 'POST', headers: { 'content-type': type }, body: 'query=%7Bviewer%7Brole%7D%7D' }));
        expect(r.status).toBe(403);
      }
      // No CORS: a cross-origin preflight gets no Access-Control-Allow-Origin.
      const preflight = await t.fetch(new Request(`${t.base}/graphql`, { method: 'OPTIONS', headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } }));
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
      // Mutations never run from GET, and batches are off (they would sidestep the alias limit).
      expect((await t.fetch(new Request(`${t.base}/graphql?query=${encodeURIComponent('mutation { markCompromised(id: "org:meta") { id } }')}`, { headers: { 'x-graphql-yoga-csrf': '1' } }))).status).toBe(405);
      const batch = await t.fetch(new Request(`${t.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ query: '{ viewer { role } }' }]) }));
      expect(batch.status).toBe(400);
    });

    it('sends no-store and nosniff on API answers', async () => {
      const r = await q(`{ viewer { role } }`);
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    });

    it('gives BlastErrors their code and input; validation errors stay GraphQL errors', async () => {
      const r = await q(`{ incident(id: "svc:acme/x") { id } }`);
      expect(r.body.errors![0]).toMatchObject({ extensions: { code: 'BAD_INPUT', input: 'id' }, path: ['incident'] });
      expect(errorCode(await q(`{ nosuch }`))).toBe('GRAPHQL_VALIDATION_FAILED');
    });
  });

  it('masks unexpected errors, keeps coded ones, fails fast while the store is down, and recovers', async () => {
    const { store: broken, control } = faulty(store);
    const app = makeApp(broken, { health: { probeIntervalMs: 50, maxProbeIntervalMs: 100 } });
    const t = await inProcess(app);
    const q = (query: string) => gql(t.fetch, t.base, query);

    control.fault = 'plain';
    for (const fault of ['plain', 'internal'] as const) {
      control.fault = fault;
      const r = await q(`{ node(id: "org:meta") { id } }`);
      expect(r.body.errors![0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL' } });
      expect(JSON.stringify(r.body)).not.toMatch(/internal detail|stack|TypeError/);
    }

    control.fault = 'unavailable';
    const down = await q(`{ node(id: "org:meta") { id } }`);
    expect(errorCode(down)).toBe('STORE_UNAVAILABLE');
    expect(down.body.errors![0]!.message).toMatch(/unreachable/);
    const ready = await t.fetch(new Request(`${t.base}/readyz`));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, status: 'unavailable', reason: expect.stringMatching(/unreachable/) });
    // While the breaker is open, requests fail at once without touching the store.
    control.fault = 'slow';
    const callsBefore = control.calls;
    const fast = await q(`{ node(id: "org:meta") { id } }`);
    expect(errorCode(fast)).toBe('STORE_UNAVAILABLE');
    expect(fast.body.errors![0]!.message).toMatch(/failing fast/);
    expect(control.calls).toBe(callsBefore);

    control.fault = null;
    await expect.poll(async () => (await t.fetch(new Request(`${t.base}/readyz`))).status, { timeout: 5000, interval: 50 }).toBe(200);
    expect((await q(`{ node(id: "org:meta") { id } }`)).body.data).toEqual({ node: { id: 'org:meta' } });
    await app.close();
  });

  it('abandons an execution past the timeout with TIMEOUT', async () => {
    const { store: slow, control } = faulty(store);
    const t = await inProcess(makeApp(slow, { limits: { requestTimeoutMs: 100 } }));
    control.fault = 'slow';
    const r = await gql(t.fetch, t.base, `{ search(text: "litellm") { id } }`);
    expect(errorCode(r)).toBe('TIMEOUT');
    control.fault = null;
  });

  it('in production: no introspection, no GraphiQL, no field suggestions', async () => {
    const dev = await inProcess(makeApp(store));
    const prod = await inProcess(makeApp(store, { production: true }));
    const introspection = `{ __schema { queryType { name } } }`;
    expect((await gql(dev.fetch, dev.base, introspection)).body.data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    // The full introspection query GraphiQL sends fits the depth, cost and token limits.
    const full = await gql(dev.fetch, dev.base, getIntrospectionQuery({ descriptions: true }));
    expect(full.body.errors).toBeUndefined();
    expect(full.body.data!.__schema.types.length).toBeGreaterThan(30);
    const refused = await gql(prod.fetch, prod.base, introspection);
    expect(errorCode(refused)).toBe('FORBIDDEN');
    expect(refused.body.errors![0]!.message).toMatch(/introspection is disabled/);
    expect((await gql(prod.fetch, prod.base, `{ __typename viewer { role } }`)).body.data).toEqual({ __typename: 'Query', viewer: { role: 'admin' } });
    const page = (base: Transport) => base.fetch(new Request(`${base.base}/graphql`, { headers: { accept: 'text/html' } }));
    expect((await page(dev)).headers.get('content-type')).toMatch(/text\/html/);
    expect((await page(prod)).headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(JSON.stringify((await gql(dev.fetch, dev.base, `{ viewr { role } }`)).body)).toMatch(/Did you mean/);
    expect(JSON.stringify((await gql(prod.fetch, prod.base, `{ viewr { role } }`)).body)).not.toMatch(/Did you mean/);
  });

  it('enforces the default 16 MiB body limit over a real socket, declared or streamed (chunked)', async () => {
    const t = await overHttp(makeApp(store));
    try {
      const big = JSON.stringify({ query: 'mutation ($c: String!) { ingest(input: { name: "big", content: $c }) { format } }', variables: { c: 'x'.repeat(16 * 1024 * 1024) } });
      const declared = await gql(t.fetch, t.base, 'mutation ($c: String!) { ingest(input: { name: "big", content: $c }) { format } }', { c: 'x'.repeat(16 * 1024 * 1024) });
      expect(declared.status).toBe(413);
      expect(declared.body.errors![0]!.message).toMatch(/limit of 16 MiB/);
      // Chunked: no Content-Length, so the body is counted while it streams in.
      const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest(`${t.base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
          let body = '';
          res.on('data', (d) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        for (let i = 0; i < big.length; i += 1024 * 1024) req.write(big.slice(i, i + 1024 * 1024));
        req.end();
      });
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.body).errors[0].extensions.code).toBe('TOO_LARGE');
    } finally {
      await t.close();
    }
  });
});
