/**
 * The propagation projection's life cycle: the embedded store keeps it beside its database so a new
 * process loads it instead of rebuilding; a file that is torn, or describes another graph version,
 * is never trusted; and on every store a write by another process (the CLI, in a child process) is
 * seen by a running server's next blast radius.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { computeBlastRadius } from '../../server/engine/blast-radius.js';
import { currentProjection, forgetProjection } from '../../server/projection/current-projection.js';
import { EmbeddedStore } from '../../server/store/embedded/embedded-store.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { gql, loadScenario, makeApp } from '../api/helpers.js';
import { batch, edge, node } from '../support/batches.js';
import { spawnCli } from '../support/cli.js';
import { stepsOfProjection, stepsOfRecords } from '../support/projection-rows.js';
import { STORES, useStore } from '../support/stores.js';

const LITELLM = 'pkg:pypi/litellm@1.82.8';

describe('the embedded store keeps its projection on disk', () => {
  const dirs: string[] = [];
  const stores: EmbeddedStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  /** A store in `dir` as a new process would open it: nothing of it held in memory. */
  async function open(dir: string): Promise<EmbeddedStore> {
    const store = EmbeddedStore.open(dir);
    await store.init();
    forgetProjection(store);
    stores.push(store);
    return store;
  }
  async function scenario(): Promise<{ dir: string; store: EmbeddedStore }> {
    const dir = mkdtempSync(join(tmpdir(), 'blast-projection-'));
    dirs.push(dir);
    const store = await open(dir);
    await loadScenario(store);
    return { dir, store };
  }

  it('builds it once, then a new process loads it and answers the same', async () => {
    const { dir, store } = await scenario();
    expect((await currentProjection(store)).origin).toBe('built');
    expect((await currentProjection(store)).origin).toBe('memory');
    expect(statSync(store.projectionPath).size).toBeGreaterThan(1000);
    const again = await open(dir);
    const loaded = await currentProjection(again);
    expect(loaded.origin).toBe('file');
    expect(loaded.projection.version).toBe(await again.graphVersion());
    expect(stepsOfProjection(loaded.projection)).toEqual(await stepsOfRecords(again));
    expect(JSON.stringify(await computeBlastRadius(again, [{ id: LITELLM }]))).toBe(JSON.stringify(await computeBlastRadius(store, [{ id: LITELLM }])));
  });

  it('never trusts a torn or foreign file: it rebuilds and rewrites it', async () => {
    const { dir, store } = await scenario();
    await currentProjection(store);
    const path = store.projectionPath;
    const whole = readFileSync(path);
    for (const damage of [
      () => truncateSync(path, Math.floor(whole.length / 2)),
      () => truncateSync(path, whole.length - 3),
      () => writeFileSync(path, Buffer.concat([whole, Buffer.from('x')])),
      () => writeFileSync(path, Buffer.from('not a projection at all')),
      () => writeFileSync(path, Buffer.alloc(0)),
    ]) {
      damage();
      const reopened = await open(dir);
      const got = await currentProjection(reopened);
      expect(got.origin).toBe('built');
      expect(stepsOfProjection(got.projection)).toEqual(await stepsOfRecords(reopened));
      expect(readFileSync(path).equals(whole)).toBe(true);
    }
  });

  it('rebuilds when the graph moved since the file was written, even by another connection', async () => {
    const { dir, store } = await scenario();
    await currentProjection(store);
    const old = join(dir, 'old.bin');
    copyFileSync(store.projectionPath, old);
    const other = await open(dir);
    await other.write(batch([node('svc:late/app', {}, 'Late app')], [edge('svc:late/app', 'DEPENDS_ON', LITELLM)]));
    // The file on disk now describes the previous version: this store must not use it, nor its own copy.
    copyFileSync(old, store.projectionPath);
    const got = await currentProjection(store);
    expect(got.origin).toBe('built');
    expect(got.projection.numberOf('svc:late/app')).toBeGreaterThanOrEqual(0);
    const r = await computeBlastRadius(store, [{ id: LITELLM }]);
    expect(r.affected.map((a) => a.id)).toContain('svc:late/app');
  });
});

describe.each(STORES)('a server sees another process’s write at its next radius: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { prepare: loadScenario });

  it('answers with the service and customer that a CLI in another process ingested', async () => {
    const app = makeApp(store);
    try {
      const ask = async () => {
        const r = await gql((req) => app.fetch(req), 'http://127.0.0.1', `{ blastRadius(seeds: [{ id: "${LITELLM}" }]) { snapshotId customers { id } } }`);
        expect(r.body.errors).toBeUndefined();
        return r.body.data!.blastRadius as { snapshotId: string; customers: Array<{ id: string }> };
      };
      const before = await ask();
      expect(before.customers.map((c) => c.id)).not.toContain('org:late-customer');
      const inventory = [
        'version: 1',
        'services:',
        '  - id: svc:late/worker',
        `    dependsOn: [${LITELLM}]`,
        'customers:',
        '  - id: org:late-customer',
        '    name: Late Customer',
        '    uses: [svc:late/worker]',
        '',
      ].join('\n');
      const dir = mkdtempSync(join(tmpdir(), 'blast-late-'));
      try {
        writeFileSync(join(dir, 'late.yaml'), inventory);
        const ingest = await spawnCli(store, ['ingest', join(dir, 'late.yaml')]);
        expect(ingest.err).toBe('');
        expect(ingest.code).toBe(0);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const after = await ask();
      expect(after.customers.map((c) => c.id)).toContain('org:late-customer');
      expect(after.snapshotId).not.toBe(before.snapshotId);
      expect(after.snapshotId).toBe(await store.snapshotId());
    } finally {
      await app.close();
    }
  });
});
