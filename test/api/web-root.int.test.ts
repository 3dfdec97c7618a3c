/**
 * The explorer hook: web/dist is served at `/` with a strict CSP (files, client-side routes, no path
 * escapes), and without a build `/` explains how to build it. On every store, in process and over a
 * real socket.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../server/api/static-files.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES } from '../support/stores.js';
import { TRANSPORTS, makeApp, type Transport } from './helpers.js';

describe.each(STORES)('web root: $backend', (adapter) => {
  let store: GraphStore;
  let dist: string;
  beforeAll(async () => {
    store = await adapter.setup();
    dist = mkdtempSync(join(tmpdir(), 'blast-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><script type="module" src="/assets/app-1a2b.js"></script>');
    writeFileSync(join(dist, 'assets', 'app-1a2b.js'), 'console.log("explorer")');
    writeFileSync(join(dist, '..', 'blast-web-secret.txt'), 'outside');
  });
  afterAll(async () => {
    rmSync(dist, { recursive: true, force: true });
    rmSync(join(dist, '..', 'blast-web-secret.txt'), { force: true });
    await adapter.teardown(store);
  });

  describe.each(TRANSPORTS)('over $name', ({ open }) => {
    let built: Transport;
    let bare: Transport;
    const get = (t: Transport, path: string, init?: RequestInit) => t.fetch(new Request(`${t.base}${path}`, init));
    beforeAll(async () => {
      built = await open(makeApp(store, { webRoot: dist }));
      bare = await open(makeApp(store, { webRoot: join(dist, 'no-such-folder') }));
    });
    afterAll(async () => {
      await built.close();
      await bare.close();
    });

    it('serves the built explorer with a Content-Security-Policy', async () => {
      const index = await get(built, '/');
      expect(index.status).toBe(200);
      expect(index.headers.get('content-type')).toMatch(/text\/html/);
      expect(index.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'/);
      expect(index.headers.get('x-content-type-options')).toBe('nosniff');
      expect(await index.text()).toMatch(/app-1a2b\.js/);
      const asset = await get(built, '/assets/app-1a2b.js');
      expect(asset.headers.get('content-type')).toMatch(/javascript/);
      expect(asset.headers.get('cache-control')).toMatch(/immutable/);
      expect(await asset.text()).toBe('console.log("explorer")');
      // Shared links such as /?seed=ID and client-side routes load the app; missing assets are 404.
      expect(await (await get(built, '/?seed=pkg%3Apypi%2Flitellm%401.82.8')).text()).toMatch(/app-1a2b/);
      expect(await (await get(built, '/node/org:meta')).text()).toMatch(/app-1a2b/);
      expect((await get(built, '/assets/missing.js')).status).toBe(404);
      expect((await get(built, '/assets/app-1a2b.js', { method: 'HEAD' })).status).toBe(200);
    });

    it('never serves files outside web/dist', async () => {
      for (const path of ['/../blast-web-secret.txt', '/%2e%2e/blast-web-secret.txt', '/assets/..%2f..%2fblast-web-secret.txt', '/%2e%2e%2f%2e%2e%2fetc/passwd']) {
        const r = await get(built, path);
        expect(await r.text()).not.toBe('outside');
        expect(r.status === 404 || (await get(built, path)).headers.get('content-type')?.startsWith('text/html')).toBe(true);
      }
    });

    it('says the explorer is not built when web/dist is missing, and keeps the API working', async () => {
      const r = await get(bare, '/');
      expect(r.status).toBe(200);
      expect(r.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await r.text()).toMatch(/explorer is not built/);
      expect((await get(bare, '/healthz')).status).toBe(200);
    });
  });
});
