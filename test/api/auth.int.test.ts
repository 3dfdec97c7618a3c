/**
 * Authentication and roles, over a real socket and in process, on every store: with BLAST_TOKENS set,
 * /graphql answers HTTP 401 without a valid bearer token (health stays open); viewer reads, analyst
 * also writes, admin also administers; a role that may not gets FORBIDDEN. Without tokens, only
 * loopback Host names are served (DNS rebinding).
 */
import { describe, expect, it } from 'vitest';
import { parseTokens } from '../../server/api/auth.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES, useStore } from '../support/stores.js';
import { TRANSPORTS, errorCode, gql, loadScenario, makeApp, useTransport, type Transport } from './helpers.js';

const TOKENS = 'admin-token-0123456789:admin,analyst-token-0123456789:analyst,viewer-token-0123456789:viewer';
const READ = `{ node(id: "org:meta") { id } viewer { role authRequired } }`;
const WRITE = `mutation { createIncident(input: { id: "inc:auth-test", name: "auth", seeds: [{ id: "org:meta" }] }) { id } }`;
const UPDATE = `mutation { updateIncident(id: "inc:auth-test", input: { notes: "checked" }) { id } }`;
const ADMIN = `mutation { resetGraph(confirmSnapshotId: "sha256:not-the-current-one") { totalNodes } }`;

describe.each(STORES)('auth: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { prepare: loadScenario });

  describe.each(TRANSPORTS)('with tokens, over $name', ({ open }) => {
    let t: Transport;
    useTransport(() => open(makeApp(store, { tokens: TOKENS })), (x) => (t = x));

    it('answers 401 without a token, with a malformed header, or with a wrong token', async () => {
      for (const headers of [{} as Record<string, string>, { authorization: 'admin-token-0123456789' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }, { authorization: 'Bearer wrong-token' }]) {
        const r = await gql(t.fetch, t.base, READ, undefined, { headers });
        expect(r.status).toBe(401);
        expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect(errorCode(r)).toBe('UNAUTHENTICATED');
        expect(r.body.data).toBeUndefined();
      }
      // Also for GET queries and for paths under /graphql.
      const get = await t.fetch(new Request(`${t.base}/graphql?query=${encodeURIComponent('{ viewer { role } }')}`, { headers: { 'x-graphql-yoga-csrf': '1' } }));
      expect(get.status).toBe(401);
    });

    it('keeps /healthz and /readyz open', async () => {
      expect((await t.fetch(new Request(`${t.base}/healthz`))).status).toBe(200);
      expect((await t.fetch(new Request(`${t.base}/readyz`))).status).toBe(200);
    });

    it('lets each role do what it may, and answers FORBIDDEN for the rest', async () => {
      await store.clear();
      await loadScenario(store);
      const as = (token: string, query: string) => gql(t.fetch, t.base, query, undefined, { token });
      const viewer = 'viewer-token-0123456789';
      const analyst = 'analyst-token-0123456789';
      const admin = 'admin-token-0123456789';

      const read = await as(viewer, READ);
      expect(read.status).toBe(200);
      expect(read.body.data).toEqual({ node: { id: 'org:meta' }, viewer: { role: 'viewer', authRequired: true } });

      for (const m of [WRITE, UPDATE, `mutation { markCompromised(id: "org:meta") { id } }`, `mutation { ingest(input: { name: "x", content: "version: 1\\n" }) { format } }`]) {
        const r = await as(viewer, m);
        expect(errorCode(r)).toBe('FORBIDDEN');
        expect(r.body.errors![0]!.message).toMatch(/viewer role may not/);
      }
      expect(await store.getNodes(['inc:auth-test'])).toEqual([null]);

      expect((await as(analyst, WRITE)).body.data).toEqual({ createIncident: { id: 'inc:auth-test' } });
      expect((await as(analyst, UPDATE)).body.errors).toBeUndefined();
      expect(errorCode(await as(analyst, ADMIN))).toBe('FORBIDDEN');
      // Admin passes the role check; the wrong snapshotId then stops the reset.
      expect(errorCode(await as(admin, ADMIN))).toBe('CONFLICT');
      expect((await as(admin, READ)).body.data!.viewer.role).toBe('admin');
    });
  });

  describe('without tokens', () => {
    it('serves loopback names only (a rebound DNS name gets 403)', async () => {
      const app = makeApp(store);
      for (const host of ['127.0.0.1', 'localhost:4000', '[::1]:4000']) {
        const r = await app.fetch(new Request(`http://${host}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { role } }' }) }));
        expect(r.status).toBe(200);
      }
      const evil = await app.fetch(new Request('http://evil.example:4000/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { role } }' }) }));
      expect(evil.status).toBe(403);
      expect((await app.fetch(new Request('http://evil.example/healthz'))).status).toBe(200);
      const allowed = makeApp(store, { allowedHosts: ['blast.internal'] });
      expect((await allowed.fetch(new Request('http://blast.internal/graphql?query=%7Bviewer%7Brole%7D%7D', { headers: { 'x-graphql-yoga-csrf': '1' } }))).status).toBe(200);
    });
  });
});

describe('BLAST_TOKENS parsing', () => {
  it('accepts TOKEN:ROLE lists and rejects bad ones without echoing a token', () => {
    const table = parseTokens(' a-token:admin , b-token:viewer ');
    expect(table.roleOf('a-token')).toBe('admin');
    expect(table.roleOf('b-token')).toBe('viewer');
    expect(table.roleOf('c-token')).toBeNull();
    expect(table.roleOf('')).toBeNull();
    for (const bad of ['', 'secret-token', 'secret-token:root', 'secret-token:admin,secret-token:viewer', ':admin']) {
      let caught: unknown;
      try {
        parseTokens(bad);
      } catch (err) {
        caught = err;
      }
      expect(caught).toMatchObject({ code: 'BAD_INPUT', input: 'BLAST_TOKENS' });
      expect(String((caught as Error).message)).not.toContain('secret-token');
    }
  });
});
