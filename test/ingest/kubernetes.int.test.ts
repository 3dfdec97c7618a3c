/**
 * Kubernetes manifests on every store: the radius from a compromised image reaches the Secrets its
 * workload holds, and a Secret's values are nowhere in the store afterwards (embedded: not in the
 * database files either).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeBlastRadius } from '../../server/engine/blast-radius.js';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import { resolveAgainstStore } from '../../server/ingest/resolve.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { openStore } from '../../server/store/open-store.js';
import { STORES, useStore } from '../support/stores.js';
import { MANIFESTS, TOKEN } from './kubernetes-data.js';

describe.each(STORES)('Kubernetes manifests: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { beforeEach: (s) => s.clear() });

  it('holds who holds which Secret, never the values', async () => {
    const prepared = prepareInput('k8s/prod.yaml', MANIFESTS, { ingestedAt: '2026-04-01T00:00:00Z' });
    await store.write(await resolveAgainstStore(prepared, store));
    const radius = await computeBlastRadius(store, [{ id: 'pkg:docker/acme/labeling-api@1.4.2', at: '2026-03-24T10:52:00Z' }]);
    expect(radius.affected.map((a) => a.id)).toEqual(
      expect.arrayContaining(['svc:k8s/prod/labeling-api', 'cred:k8s/prod/openai', 'cred:k8s/prod/db', 'cred:k8s/prod/serviceaccount/labeling']),
    );
    expect(radius.affected.map((a) => a.id)).not.toContain('svc:k8s/prod/nightly-export');
    const all = [];
    for (let after: string | undefined; ; ) {
      const page = await store.listNodes({ first: 500, ...(after && { after }) });
      all.push(...page);
      if (page.length < 500) break;
      after = page.at(-1)!.id;
    }
    const text = JSON.stringify([all, await store.edgesOf(all.map((n) => n.id), { direction: 'both' })]);
    expect(text).toContain('OPENAI_API_KEY');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain('YWNtZQ==');
  });
});

describe('Kubernetes manifests: the embedded database files', () => {
  it('never contain a Secret value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blast-k8s-'));
    try {
      const store = await openStore({ backend: 'embedded', dataDir: dir });
      await store.write(await resolveAgainstStore(prepareInput('k8s/prod.yaml', MANIFESTS, { ingestedAt: '2026-04-01T00:00:00Z' }), store));
      await store.close();
      const files = readdirSync(dir, { recursive: true, withFileTypes: true }).filter((f) => f.isFile());
      expect(files.length).toBeGreaterThan(0);
      for (const f of files) expect(readFileSync(join(f.parentPath, f.name)).includes(TOKEN), f.name).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
