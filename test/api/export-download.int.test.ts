/**
 * `exportBlastRadius` and its download route, over a real socket, on every store: the mutation
 * returns a URL; GET on it returns a ZIP whose files are byte for byte those of `blast export` on the
 * same graph with the same --generated-at, whose manifest verifies, and which is itself byte-identical
 * when repeated. Bad seeds and options get the blastRadius errors; unknown, expired and evicted
 * downloads are 404; with tokens, a download needs the token that made it (401 without one); a
 * rendering beyond the concurrency limit gets TOO_BUSY.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerExport } from '../../server/cli/commands/export.js';
import { sha256Hex, verifyExport } from '../../server/export/manifest.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { runCli } from '../support/cli.js';
import { STORES, useStore } from '../support/stores.js';
import { readTree, unzipToDir } from '../support/unzip.js';
import { errorCode, gql, loadScenario, makeApp, overHttp, useTransport, type GqlResult, type Transport } from './helpers.js';

const TRIVY = 'pkg:githubactions/aquasecurity/trivy-action@0.33.1';
const LITELLM = 'pkg:pypi/litellm@1.82.8';
const GENERATED_AT = '2026-03-26T09:00:00Z';
const TOKENS = 'viewer-token-0123456789:viewer,analyst-token-0123456789:analyst';

const EXPORT = `mutation ($seeds: [SeedInput!], $options: BlastOptions, $title: String, $generatedAt: DateTime) {
  exportBlastRadius(seeds: $seeds, options: $options, title: $title, generatedAt: $generatedAt) {
    url fileName contentType bytes sha256 manifestSha256 snapshotId generatedAt seeds { id at found }
    fileCount affectedCount customerCount expiresAt
  }
}`;

interface ExportDownload {
  url: string;
  fileName: string;
  contentType: string;
  bytes: number;
  sha256: string;
  manifestSha256: string;
  snapshotId: string;
  generatedAt: string;
  seeds: Array<{ id: string; at: string | null; found: boolean }>;
  fileCount: number;
  affectedCount: number;
  customerCount: number;
  expiresAt: string;
}

/** Runs `blast export` in process against the same store; returns the folder it wrote. */
async function cliExport(store: GraphStore, args: string[]): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), 'blast-cli-export-')), 'evidence');
  await runCli(store, registerExport, ['export', ...args, '--out', out]);
  return out;
}

async function exportVia(t: Transport, variables: Record<string, unknown>, token?: string): Promise<GqlResult<{ exportBlastRadius: ExportDownload }>> {
  return gql<{ exportBlastRadius: ExportDownload }>(t.fetch, t.base, EXPORT, variables, token ? { token } : {});
}

async function mustExport(t: Transport, variables: Record<string, unknown>, token?: string): Promise<ExportDownload> {
  const r = await exportVia(t, variables, token);
  expect(r.body.errors).toBeUndefined();
  return r.body.data!.exportBlastRadius;
}

function download(t: Transport, url: string, init: { token?: string; method?: string } = {}): Promise<Response> {
  return t.fetch(new Request(`${t.base}${url}`, { method: init.method ?? 'GET', headers: init.token ? { authorization: `Bearer ${init.token}` } : {} }));
}

/** A real store whose graphVersion() (the first thing a blast radius reads) waits for `release()`: holds one export mid-rendering. */
function pausedAtGraphVersion(store: GraphStore): { store: GraphStore; inside: Promise<void>; release: () => void } {
  let entered!: () => void;
  let release!: () => void;
  const inside = new Promise<void>((r) => (entered = r));
  const gate = new Promise<void>((r) => (release = r));
  const paused = new Proxy(store, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (prop === 'graphVersion') {
        return async () => {
          entered();
          await gate;
          return target.graphVersion();
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: paused, inside, release };
}

describe.each(STORES)('exportBlastRadius: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { prepare: loadScenario });

  describe('without tokens, over a real socket', () => {
    let t: Transport;
    useTransport(() => overHttp(makeApp(store)), (x) => (t = x));

    it('returns a URL to a ZIP holding exactly the files of `blast export`, whose manifest verifies', async () => {
      const made = await mustExport(t, { seeds: [{ id: TRIVY }], generatedAt: GENERATED_AT });
      expect(made.url).toMatch(/^\/exports\/[A-Za-z0-9_-]{22}\/blast-radius-pkg_githubactions_aquasecurity_trivy-action_0\.33\.1-20260326T090000Z\.zip$/);
      expect(made.url.endsWith(`/${made.fileName}`)).toBe(true);
      expect(made).toMatchObject({ contentType: 'application/zip', generatedAt: GENERATED_AT, snapshotId: await store.snapshotId(), seeds: [{ id: TRIVY, found: true }] });
      expect(made.customerCount).toBeGreaterThan(0);
      expect(Date.parse(made.expiresAt)).toBeGreaterThan(Date.now());

      const res = await download(t, made.url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/zip');
      expect(res.headers.get('content-disposition')).toBe(`attachment; filename="${made.fileName}"`);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const archive = Buffer.from(await res.arrayBuffer());
      expect(archive.length).toBe(made.bytes);
      expect(sha256Hex(archive)).toBe(made.sha256);
      expect(res.headers.get('repr-digest')).toBe(`sha-256=:${Buffer.from(made.sha256, 'hex').toString('base64')}:`);

      const unzipped = unzipToDir(archive);
      const cli = await cliExport(store, [TRIVY, '--generated-at', GENERATED_AT]);
      try {
        const fromApi = readTree(unzipped);
        const fromCli = readTree(cli);
        expect([...fromApi.keys()]).toEqual([...fromCli.keys()]);
        expect([...fromApi.keys()]).toEqual(expect.arrayContaining(['report.md', 'report.pdf', 'blast-radius.json', 'affected.csv', 'customers.csv', 'paths.csv', 'graph.graphml', 'graph.cyjs', 'vex.cdx.json', 'manifest.json']));
        expect([...fromApi.keys()].filter((p) => p.startsWith('customers/'))).toHaveLength(2 * made.customerCount);
        for (const [path, bytes] of fromCli) expect(fromApi.get(path)!.equals(bytes), path).toBe(true);
        expect(made.fileCount).toBe(fromApi.size);
        expect(sha256Hex(fromApi.get('manifest.json')!)).toBe(made.manifestSha256);
        const verified = await verifyExport(unzipped);
        expect(verified).toMatchObject({ ok: true, mismatches: [], matched: fromApi.size - 1 });
        expect(verified.manifest.snapshotId).toBe(made.snapshotId);
      } finally {
        rmSync(dirname(unzipped), { recursive: true, force: true });
        rmSync(dirname(cli), { recursive: true, force: true });
      }

      // Repeated with the same inputs: a new URL, the same bytes; downloads work more than once.
      const again = await mustExport(t, { seeds: [{ id: TRIVY }], generatedAt: GENERATED_AT });
      expect(again.url).not.toBe(made.url);
      expect(again.sha256).toBe(made.sha256);
      expect((await download(t, made.url)).status).toBe(200);
      const head = await download(t, again.url, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(head.headers.get('content-length')).toBe(String(made.bytes));
    });

    it('uses the title and options given, and every compromised node when no seed is given', async () => {
      const titled = await mustExport(t, { seeds: [{ id: LITELLM }], options: { maxHops: 2 }, title: 'Litellm for counsel', generatedAt: GENERATED_AT });
      const dir = unzipToDir(Buffer.from(await (await download(t, titled.url)).arrayBuffer()));
      try {
        const manifest = JSON.parse(readTree(dir).get('manifest.json')!.toString('utf8'));
        expect(manifest.title).toBe('Litellm for counsel');
        expect(manifest.parameters.options.maxHops).toBe(2);
      } finally {
        rmSync(dirname(dir), { recursive: true, force: true });
      }
      const all = await mustExport(t, { generatedAt: GENERATED_AT });
      expect(all.seeds.map((s) => s.id)).toEqual((await store.compromisedNodes()).map((n) => n.id).sort());
      expect(all.fileName).toMatch(/-and-\d+-more-20260326T090000Z\.zip$/);
    });

    it('rejects bad seeds, options and titles with the error naming the argument', async () => {
      const bad = await exportVia(t, { seeds: [{ id: 'nope' }] });
      expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'BAD_INPUT', input: 'seeds', location: '/0/id' });
      expect(bad.body.errors![0]!.message).toMatch(/^seeds at \/0\/id: /);
      expect(errorCode(await exportVia(t, { seeds: [{ id: LITELLM, at: 'yesterday' }] }))).toBe('BAD_INPUT');
      expect((await exportVia(t, { seeds: [{ id: LITELLM }], options: { maxHops: -1 } })).body.errors![0]!.extensions).toMatchObject({ code: 'BAD_INPUT', input: 'options.maxHops' });
      expect((await exportVia(t, { seeds: [{ id: LITELLM }], options: { edgeKinds: ['AFFECTS'] } })).body.errors![0]!.extensions).toMatchObject({ code: 'BAD_INPUT', input: 'options.edgeKinds' });
      expect((await exportVia(t, { seeds: [{ id: LITELLM }], title: ' ' })).body.errors![0]!.extensions).toMatchObject({ code: 'BAD_INPUT', input: 'title' });
      expect((await exportVia(t, { seeds: [{ id: LITELLM }], generatedAt: 'soon' })).body.errors![0]!.extensions).toMatchObject({ code: 'BAD_INPUT' });
      const missing = await exportVia(t, { seeds: [{ id: 'pkg:pypi/no-such-package@1.0.0' }] });
      expect(missing.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', input: 'seeds' });
      expect(missing.body.errors![0]!.message).toContain('pkg:pypi/no-such-package@1.0.0');
    });

    it('answers 404 for an unknown id or name, and 405 for other methods', async () => {
      for (const path of ['/exports/AAAAAAAAAAAAAAAAAAAAAA/x.zip', '/exports/nope/x.zip', '/exports', '/exports/']) {
        const res = await download(t, path);
        expect(res.status, path).toBe(404);
        expect((await res.json()).errors[0].extensions.code).toBe('NOT_FOUND');
      }
      const made = await mustExport(t, { seeds: [{ id: LITELLM }], generatedAt: GENERATED_AT });
      expect((await download(t, made.url.replace(/[^/]+$/, 'other.zip'))).status).toBe(404);
      expect((await download(t, made.url, { method: 'POST' })).status).toBe(405);
    });
  });

  describe('with tokens, over a real socket', () => {
    let t: Transport;
    useTransport(() => overHttp(makeApp(store, { tokens: TOKENS })), (x) => (t = x));

    it('lets a viewer export; the download needs the token that made it', async () => {
      const viewer = 'viewer-token-0123456789';
      expect((await exportVia(t, { seeds: [{ id: LITELLM }] })).status).toBe(401);
      const made = await mustExport(t, { seeds: [{ id: LITELLM }], generatedAt: GENERATED_AT }, viewer);
      for (const token of [undefined, 'wrong-token']) {
        const res = await download(t, made.url, { token });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
        expect((await res.json()).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
      // Another valid token does not open it either: the URL alone is not enough.
      expect((await download(t, made.url, { token: 'analyst-token-0123456789' })).status).toBe(404);
      const ok = await download(t, made.url, { token: viewer });
      expect(ok.status).toBe(200);
      expect(sha256Hex(Buffer.from(await ok.arrayBuffer()))).toBe(made.sha256);
    });
  });

  describe('bounds', () => {
    it('deletes a download once it expires', async () => {
      const app = makeApp(store, { limits: { exportTtlMs: 200 } });
      const t = await overHttp(app);
      try {
        const made = await mustExport(t, { seeds: [{ id: LITELLM }], generatedAt: GENERATED_AT });
        expect(app.downloads.size).toBe(1);
        while (Date.now() <= Date.parse(made.expiresAt)) await new Promise((r) => setTimeout(r, 50));
        expect((await download(t, made.url)).status).toBe(404);
        expect(app.downloads.size).toBe(0);
      } finally {
        await t.close();
      }
    });

    it('keeps at most maxRetainedExports downloads, dropping the oldest', async () => {
      const app = makeApp(store, { limits: { maxRetainedExports: 2 } });
      const t = await overHttp(app);
      try {
        const made = [];
        for (let i = 0; i < 3; i++) made.push(await mustExport(t, { seeds: [{ id: LITELLM }], generatedAt: GENERATED_AT }));
        expect(app.downloads.size).toBe(2);
        expect((await download(t, made[0]!.url)).status).toBe(404);
        expect((await download(t, made[1]!.url)).status).toBe(200);
        expect((await download(t, made[2]!.url)).status).toBe(200);
      } finally {
        await t.close();
      }
    });

    it('refuses an export beyond maxConcurrentExports with TOO_BUSY, and checks arguments first', async () => {
      const paused = pausedAtGraphVersion(store);
      const app = makeApp(paused.store, { limits: { maxConcurrentExports: 1 } });
      const t = await overHttp(app);
      try {
        const first = exportVia(t, { seeds: [{ id: LITELLM }], generatedAt: GENERATED_AT });
        await paused.inside;
        expect(app.downloads.active).toBe(1);
        const busy = await exportVia(t, { seeds: [{ id: LITELLM }] });
        expect(busy.body.errors![0]!.extensions).toMatchObject({ code: 'TOO_BUSY' });
        expect(busy.body.errors![0]!.message).toMatch(/already rendering 1 export/);
        expect(errorCode(await exportVia(t, { seeds: [{ id: 'nope' }] }))).toBe('BAD_INPUT');
        paused.release();
        expect((await first).body.errors).toBeUndefined();
        expect(app.downloads.active).toBe(0);
        await mustExport(t, { seeds: [{ id: LITELLM }] });
      } finally {
        paused.release();
        await t.close();
      }
    });
  });
});
