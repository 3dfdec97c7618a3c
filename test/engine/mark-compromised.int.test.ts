/** Marking a node compromised: one write, never creating nodes, idempotent, then a default seed. */
import { describe, expect, it } from 'vitest';
import { computeBlastRadius, defaultSeeds } from '../../server/engine/blast-radius.js';
import { markCompromised } from '../../server/engine/mark-compromised.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { batch, edge, node } from '../support/batches.js';
import { STORES, startFrom, useStore } from '../support/stores.js';

const NOW = '2026-03-25T08:00:00Z';

describe.each(STORES)('markCompromised: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), {
    beforeEach: startFrom(() =>
      batch(
        [node('pkg:pypi/litellm@1.82.8', { publishedAt: '2026-03-24T10:52:00Z', advisories: ['osv:PYSEC-2026-2'] })],
        [edge('svc:acme/api', 'DEPENDS_ON', 'pkg:pypi/litellm@1.82.8', { since: '2026-03-24T11:00:00Z' })],
      ),
    ),
  });

  it('sets compromised, compromisedAt and adds the advisory, with a mark source', async () => {
    const result = await markCompromised(store, { id: 'pkg:pypi/LiteLLM@1.82.8', at: '2026-03-24T10:52:00+00:00', advisory: 'MAL-2026-2144' }, { ingestedAt: NOW });
    expect(result).toMatchObject({ id: 'pkg:pypi/litellm@1.82.8', compromisedAt: '2026-03-24T10:52:00Z', advisories: ['osv:MAL-2026-2144', 'osv:PYSEC-2026-2'] });
    // The version is updated; its package (completed by the write) is left as it was.
    expect(result.summary.nodes).toEqual({ added: 0, updated: 1, unchanged: 1 });
    const [n] = await store.getNodes(['pkg:pypi/litellm@1.82.8']);
    expect(n!.compromised).toBe(true);
    expect(n!.props).toMatchObject({ compromised: true, compromisedAt: '2026-03-24T10:52:00Z', advisories: ['osv:MAL-2026-2144', 'osv:PYSEC-2026-2'], publishedAt: '2026-03-24T10:52:00Z' });
    expect(n!.sources.find((s) => s.source === 'mark:cli')).toMatchObject({ ingestedAt: NOW });
    // The mark seeds the default radius.
    expect(await defaultSeeds(store)).toEqual([{ id: 'pkg:pypi/litellm@1.82.8' }]);
    const r = await computeBlastRadius(store, await defaultSeeds(store));
    expect(r.affected.map((a) => [a.id, a.firstExposedAt])).toEqual([['svc:acme/api', '2026-03-24T11:00:00Z']]);
  });

  it('is idempotent: the same mark again changes nothing, not even the snapshot', async () => {
    const first = await markCompromised(store, { id: 'pkg:pypi/litellm@1.82.8', at: '2026-03-24T10:52:00Z' }, { ingestedAt: NOW });
    const again = await markCompromised(store, { id: 'pkg:pypi/litellm@1.82.8', at: '2026-03-24T10:52:00Z' }, { ingestedAt: '2026-03-26T00:00:00Z' });
    expect(again.summary.nodes).toMatchObject({ added: 0, updated: 0 });
    expect(again.summary.edges).toMatchObject({ added: 0, updated: 0 });
    expect(again.summary.snapshotId).toBe(first.summary.snapshotId);
  });

  it('without a time keeps the stored start and invents none', async () => {
    const result = await markCompromised(store, { id: 'pkg:pypi/litellm@1.82.8' }, { ingestedAt: NOW });
    expect(result.compromisedAt).toBeNull();
    const [n] = await store.getNodes(['pkg:pypi/litellm@1.82.8']);
    expect(n!.props.compromisedAt).toBeUndefined();
    // The seed then starts at publishedAt.
    const r = await computeBlastRadius(store, await defaultSeeds(store));
    expect(r.seeds).toEqual([{ id: 'pkg:pypi/litellm@1.82.8', at: '2026-03-24T10:52:00Z', found: true }]);
  });

  it('fails with NOT_FOUND for an unknown node and creates nothing; BAD_INPUT for bad input', async () => {
    const before = await store.snapshotId();
    await expect(markCompromised(store, { id: 'svc:acme/typo' })).rejects.toMatchObject({ code: 'NOT_FOUND', input: 'svc:acme/typo' });
    expect(await store.snapshotId()).toBe(before);
    await expect(markCompromised(store, { id: 'pkg:pypi/litellm@1.82.8', at: 'tuesday' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(markCompromised(store, { id: 'pkg:pypi/litellm@1.82.8', advisory: 'not an id' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    await expect(markCompromised(store, { id: 'nonsense' })).rejects.toMatchObject({ code: 'BAD_INPUT' });
  });
});
