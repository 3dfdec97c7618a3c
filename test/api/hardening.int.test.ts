/**
 * The holes an attack run found in `blast serve` and `blast ingest` (issue 17), one regression test
 * each: routes that skipped the token check, malformed Host headers answered with a stack trace,
 * hostile documents reported as INTERNAL, source maps served in production. On every store.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../server/cli/main.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES, useStore } from '../support/stores.js';
import { TRANSPORTS, errorCode, gql, inProcess, loadScenario, makeApp, overHttp, type Transport } from './helpers.js';

/** One raw HTTP/1.1 request, with the Host header exactly as given (fetch would refuse to send it). */
function rawRequest(port: number, opts: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: opts.method ?? 'GET', path: opts.path, setHost: opts.host === undefined, headers: { ...(opts.host !== undefined && { host: opts.host }), ...opts.headers } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const ALIAS_BOMB = ['version: 1', 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(Array.from({ length: 7 }, (_, i) => `${'bcdefgh'[i]}: &${'bcdefgh'[i]} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(',')}]`))
  .join('\n');
const DEEP_JSON = `{"version": 1, "services": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;

describe.each(STORES)('hardening: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { prepare: loadScenario });

  describe('every route passes the same token check (item 3)', () => {
    let t: Transport & { listening?: { port: number } };
    beforeAll(async () => {
      t = await overHttp(makeApp(store, { tokens: 'admintoken:admin', production: true }));
    });
    afterAll(async () => t.close());

    it('POST //graphql, /graphql/, ///graphql, /x/../graphql without a token: 401 before any GraphQL work', async () => {
      const port = (t as unknown as { listening: { port: number } }).listening.port;
      // An invalid query: had it been parsed and validated, the answer would name the unknown field.
      const body = JSON.stringify({ query: '{ probeTheSchema }' });
      for (const path of ['/graphql', '//graphql', '/graphql/', '///graphql', '/x/../graphql', '//graphql?x=1', '/anything']) {
        const r = await rawRequest(port, { method: 'POST', path, headers: { 'content-type': 'application/json' }, body });
        expect(r.status, path).toBe(401);
        expect(JSON.parse(r.text).errors[0].extensions.code, path).toBe('UNAUTHENTICATED');
        expect(r.text).not.toContain('probeTheSchema');
      }
      const ok = await rawRequest(port, { method: 'POST', path: '//graphql', headers: { 'content-type': 'application/json', authorization: 'Bearer admintoken' }, body: JSON.stringify({ query: '{ viewer { role } }' }) });
      expect(ok.status).toBe(200);
      // Health stays open for probes.
      expect((await rawRequest(port, { path: '/healthz' })).status).toBe(200);
    });
  });

  describe('a malformed Host header is a 400, never a stack trace (item 4)', () => {
    for (const mode of [
      { name: 'production, tokens', production: true, tokens: 'admintoken:admin' },
      { name: 'development, no tokens', production: false, tokens: null },
    ]) {
      it(mode.name, async () => {
        const t = await overHttp(makeApp(store, { tokens: mode.tokens, production: mode.production }));
        try {
          for (const host of ['a b', 'localhost, evil.example', 'localhost:80:80', '[::1', 'exa mple.com:4000']) {
            for (const [method, path] of [['GET', '/healthz'], ['GET', '/readyz'], ['POST', '/graphql'], ['GET', '/']] as const) {
              const r = await rawRequest(t.listening.port, { method, path, host, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{"query":"{ viewer { role } }"}' : undefined });
              expect(r.status, `${host} ${path}`).toBe(400);
              expect(JSON.parse(r.text).errors[0].extensions).toEqual({ code: 'BAD_INPUT', input: 'Host' });
              expect(r.text).not.toMatch(/\bat |node_modules|\/work\/|TypeError/);
            }
          }
          // Good hosts are still served.
          expect((await rawRequest(t.listening.port, { path: '/healthz', host: `127.0.0.1:${t.listening.port}` })).status).toBe(200);
          expect((await rawRequest(t.listening.port, { path: '/healthz', host: '[::1]:4000' })).status).toBe(200);
        } finally {
          await t.close();
        }
      });
    }
  });

  describe.each(TRANSPORTS)('hostile documents are BAD_INPUT naming the file (item 7), over $name', ({ open }) => {
    let t: Transport;
    beforeAll(async () => {
      t = await open(makeApp(store));
    });
    afterAll(async () => t.close());

    it('a YAML alias bomb, 100,000-deep JSON and a duplicate JSON key through the ingest mutation', async () => {
      const before = (await store.stats()).snapshotId;
      for (const [name, content, message] of [
        ['bomb.yaml', ALIAS_BOMB, /aliases expand/],
        ['deep.json', DEEP_JSON, /nested deeper than 256 levels/],
        ['dup.json', '{"version": 1,\n "customers": [{"id": "org:a"}],\n "customers": []}', /duplicate key "customers"/],
      ] as const) {
        const r = await gql(t.fetch, t.base, `mutation ($c: String!, $n: String!) { ingest(input: { name: $n, content: $c }) { format } }`, { n: name, c: content });
        expect(errorCode(r), name).toBe('BAD_INPUT');
        expect(r.body.errors![0]!.extensions!.input).toBe(name);
        expect(r.body.errors![0]!.message).toMatch(message);
      }
      expect((await store.stats()).snapshotId).toBe(before);
    });
  });

  it('lookalike ids, lone surrogates, "huge" sizes and bare dates are BAD_INPUT naming the file; names show hidden characters escaped (items 5, 6)', async () => {
    const t = await inProcess(makeApp(store));
    const ingest = (content: string) => gql(t.fetch, t.base, `mutation ($c: String!) { ingest(input: { name: "inv.yaml", content: $c }) { format } }`, { c: content });
    const before = (await store.stats()).snapshotId;
    for (const [content, location] of [
      ['version: 1\nservices:\n  - id: "svc:labelwise/labeling\\u200B-api"\n', 'line 3'],
      ['version: 1\nservices:\n  - id: "svc:labelwise/\\uD800x"\n', 'line 3'],
      ['version: 1\ndatasets:\n  - id: ds:acme/logs\n    sizeBytes: huge\n', '/nodes/0/props/sizeBytes'],
      ['version: 1\ncredentials:\n  - id: cred:acme/k\n    createdAt: 2026-03-24\n', 'line 4'],
    ] as const) {
      const r = await ingest(content);
      expect(errorCode(r), content).toBe('BAD_INPUT');
      expect(r.body.errors![0]!.extensions).toMatchObject({ input: 'inv.yaml', location });
    }
    expect((await store.stats()).snapshotId).toBe(before);
    const ok = await ingest('version: 1\nservices:\n  - id: svc:acme/zw-name\n    name: "Labeling\\u200B API"\n');
    expect(ok.body.errors).toBeUndefined();
    const shown = await gql(t.fetch, t.base, '{ node(id: "svc:acme/zw-name") { name } }');
    expect(shown.body.data?.node?.name).toBe('Labeling\\u{200B} API');
  });

  it('the CLI prints one line naming the file, the problem and BAD_INPUT (item 7)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blast-hostile-'));
    const saved = process.env.BLAST_DATA_DIR;
    process.env.BLAST_DATA_DIR = join(dir, 'data');
    try {
      for (const [file, content] of [['bomb.yaml', ALIAS_BOMB], ['deep.json', DEEP_JSON]] as const) {
        const path = join(dir, file);
        writeFileSync(path, content);
        let err = '';
        const code = await main(['--store', 'embedded', 'ingest', path], { out: () => undefined, err: (s) => (err += s), interactive: false });
        expect(code).toBe(1);
        expect(err.trim().split('\n')).toHaveLength(1);
        expect(err).toMatch(new RegExp(`^blast: ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(:| at line \\d+:) .*\\[BAD_INPUT\\]\\n$`));
      }
    } finally {
      if (saved === undefined) delete process.env.BLAST_DATA_DIR;
      else process.env.BLAST_DATA_DIR = saved;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('source maps are not served in production (item 8)', () => {
    let dist: string;
    beforeAll(() => {
      dist = mkdtempSync(join(tmpdir(), 'blast-web-'));
      mkdirSync(join(dist, 'assets'));
      writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/app-1a2b.js"></script>');
      writeFileSync(join(dist, 'assets', 'app-1a2b.js'), 'console.log("explorer")\n//# sourceMappingURL=app-1a2b.js.map');
      writeFileSync(join(dist, 'assets', 'app-1a2b.js.map'), '{"version":3,"sources":["../src/main.ts"]}');
    });
    afterAll(() => rmSync(dist, { recursive: true, force: true }));

    it('production answers 404 for *.map, development serves them; the build makes none', async () => {
      const prod = await inProcess(makeApp(store, { webRoot: dist, production: true }));
      const dev = await inProcess(makeApp(store, { webRoot: dist, production: false }));
      for (const path of ['/assets/app-1a2b.js.map', '/assets/APP-1A2B.JS.MAP'.toLowerCase(), '/assets/app-1a2b.js%2Emap']) {
        expect((await prod.fetch(new Request(`${prod.base}${path}`))).status, path).toBe(404);
      }
      expect((await prod.fetch(new Request(`${prod.base}/assets/app-1a2b.js`))).status).toBe(200);
      expect((await dev.fetch(new Request(`${dev.base}/assets/app-1a2b.js.map`))).status).toBe(200);
      // The Vite build itself writes no maps.
      expect(readFileSync(new URL('../../vite.config.ts', import.meta.url), 'utf8')).toMatch(/^\s*sourcemap: false,$/m);
    });
  });
});
