/**
 * Advisories are standing rules: the same files ingested in every order give the same graph (the same
 * snapshotId), on every store, and the versions an advisory names or ranges over are marked whether
 * they arrive before or after it. A later revision of a record re-evaluates: a version it drops is
 * unmarked unless another advisory marks it.
 */
import { describe, expect, it } from 'vitest';
import { computeBlastRadius, defaultSeeds } from '../../server/engine/blast-radius.js';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import { resolveAgainstStore } from '../../server/ingest/resolve.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES, useStore } from '../support/stores.js';

const INGESTED_AT = '2026-04-01T00:00:00Z';

/** A release workflow pinning the hijacked action by a tag inside the advisory's range. */
const WORKFLOW = `name: release
on: push
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: tj-actions/changed-files@v44
      - run: twine upload dist/*
        env:
          TWINE_PASSWORD: \${{ secrets.PYPI_TOKEN }}
`;

/** The tj-actions advisory as GitHub publishes it: a range only, introduced 0, last_affected 45.0.7. */
const TJ_ACTIONS = JSON.stringify({
  id: 'GHSA-mrrh-fwg8-r2c3',
  modified: '2025-03-20T00:00:00Z',
  summary: 'tj-actions changed-files through 45.0.7 allows remote attackers to discover secrets',
  affected: [{ package: { ecosystem: 'GitHub Actions', name: 'tj-actions/changed-files' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '45.0.7' }] }] }],
  database_specific: { cwe_ids: ['CWE-506'] },
});

const LOCK = 'acme-util==1.0.1\nacme-core==2.0.0\nrequests==2.32.3\n';

/** A malicious-code record naming one version explicitly and ranging over another package. */
const MAL = JSON.stringify({
  id: 'MAL-2026-9001',
  modified: '2026-03-01T00:00:00Z',
  summary: 'Malicious code in acme-util and acme-core',
  affected: [
    { package: { ecosystem: 'PyPI', name: 'acme-util' }, versions: ['1.0.1'] },
    { package: { ecosystem: 'PyPI', name: 'acme-core' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.0.0' }, { fixed: '2.0.1' }] }] },
  ],
});

/** What people write down: it names a version the lockfile also pins, and a Service the workflow describes. */
const INVENTORY = `version: 1
services:
  - id: svc:acme/api
    name: API
    dependsOn: [pkg:pypi/acme-util@1.0.1]
    holds: [cred:acme/openai-key]
customers:
  - { id: org:meta, name: Meta, uses: [svc:acme/api, svc:local/repo/release] }
`;

const FILES: Record<string, string> = {
  'repo/.github/workflows/release.yml': WORKFLOW,
  'GHSA-mrrh-fwg8-r2c3.json': TJ_ACTIONS,
  'requirements.txt': LOCK,
  'MAL-2026-9001.json': MAL,
  'inventory.yaml': INVENTORY,
};

async function ingest(store: GraphStore, name: string, content: string) {
  const prepared = prepareInput(name, content, { ingestedAt: INGESTED_AT, options: name === 'requirements.txt' ? { service: { id: 'svc:acme/api' } } : {} });
  const batch = await resolveAgainstStore(prepared, store);
  return { ...(await store.write(batch)), warnings: batch.warnings ?? [] };
}

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((x, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [x, ...rest]));
}

describe.each(STORES)('advisories as standing rules: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { beforeEach: (s) => s.clear() });

  it('every order of the same files gives the same snapshotId and the same marks', async () => {
    // (120 orders of 5 files: an advisory by range, one by version and range, a workflow, a lockfile
    // and an inventory that mentions nodes the others describe.)
    const orders = permutations(Object.keys(FILES));
    expect(orders).toHaveLength(120);
    const snapshots = new Set<string>();
    for (const order of orders) {
      await store.clear();
      for (const name of order) await ingest(store, name, FILES[name]!);
      snapshots.add(await store.snapshotId());
      const marked = (await store.compromisedNodes()).map((n) => n.id);
      expect(marked, order.join(' ')).toEqual(['pkg:githubactions/tj-actions/changed-files@v44', 'pkg:pypi/acme-core@2.0.0', 'pkg:pypi/acme-util@1.0.1']);
    }
    expect(snapshots.size).toBe(1);
    // And the radius reaches what ran them, whatever came first.
    const radius = await computeBlastRadius(store, await defaultSeeds(store));
    const reached = radius.affected.map((a) => a.id);
    expect(reached).toContain('svc:local/repo/release');
    expect(reached).toContain('cred:local/repo/PYPI_TOKEN');
    expect(reached).toContain('svc:acme/api');
    expect(reached).not.toContain('pkg:pypi/requests@2.32.3');
    expect(radius.customers.map((c) => c.id)).toEqual(['org:meta']);
  }, 300_000);

  it('a range that matches nothing yet says so, and applies when the version arrives', async () => {
    const first = await ingest(store, 'GHSA-mrrh-fwg8-r2c3.json', TJ_ACTIONS);
    expect(first.warnings.join('\n')).toMatch(/osv:GHSA-mrrh-fwg8-r2c3: no known version of pkg:githubactions\/tj-actions\/changed-files falls in its ranges yet/);
    expect(await store.compromisedNodes()).toEqual([]);
    const second = await ingest(store, 'repo/.github/workflows/release.yml', WORKFLOW);
    expect(second.warnings.join('\n')).toMatch(/osv:GHSA-mrrh-fwg8-r2c3 \(already stored\) applies to pkg:githubactions\/tj-actions\/changed-files@v44/);
    const affects = await store.edgesOf(['osv:GHSA-mrrh-fwg8-r2c3'], { direction: 'out', kinds: ['AFFECTS'] });
    expect(affects.map((e) => e.to)).toEqual(['pkg:githubactions/tj-actions/changed-files@v44']);
    expect(affects[0]!.sources.map((s) => [s.source, s.pointer])).toEqual([['GHSA-mrrh-fwg8-r2c3.json', '/affected']]);
  });

  it('a later revision that drops a version unmarks it, unless another advisory marks it; every order agrees', async () => {
    const rev = (modified: string, versions: string[]) =>
      JSON.stringify({ id: 'MAL-2026-9002', modified, summary: 'Malicious code in acme-util', affected: [{ package: { ecosystem: 'PyPI', name: 'acme-util' }, versions }] });
    const files: Record<string, string> = {
      'rev1.json': rev('2026-03-01T00:00:00Z', ['1.0.1', '1.0.2', '1.0.3']),
      'rev2.json': rev('2026-03-02T00:00:00Z', ['1.0.1']),
      'other.json': JSON.stringify({ id: 'MAL-2026-9003', modified: '2026-03-05T00:00:00Z', summary: 'Malicious code', affected: [{ package: { ecosystem: 'PyPI', name: 'acme-util' }, versions: ['1.0.3'] }] }),
      'requirements.txt': 'acme-util==1.0.2\n',
    };
    const snapshots = new Set<string>();
    for (const order of permutations(Object.keys(files))) {
      await store.clear();
      for (const name of order) await ingest(store, name, files[name]!);
      snapshots.add(await store.snapshotId());
      const marked = (await store.compromisedNodes()).map((n) => n.id);
      // 1.0.2: named by revision 1 only, so unmarked; 1.0.3: revision 2 drops it but MAL-2026-9003 names it.
      expect(marked, order.join(' ')).toEqual(['pkg:pypi/acme-util@1.0.1', 'pkg:pypi/acme-util@1.0.3']);
    }
    expect(snapshots.size).toBe(1);
    const [adv] = await store.getNodes(['osv:MAL-2026-9002']);
    expect(adv!.props.affectedVersions).toEqual(['pkg:pypi/acme-util@1.0.1']);
  }, 300_000);

  it("one action, one identity: syft's pkg:github SBOM and the workflow name the same version, and the advisory reaches both", async () => {
    const syft = JSON.stringify({
      bomFormat: 'CycloneDX',
      specVersion: '1.7',
      version: 1,
      components: [{ 'bom-ref': 'a', type: 'library', name: 'tj-actions/changed-files', version: 'v44', purl: 'pkg:github/tj-actions/changed-files@v44' }],
    });
    await ingest(store, 'GHSA-mrrh-fwg8-r2c3.json', TJ_ACTIONS);
    await ingest(store, 'repo/.github/workflows/release.yml', WORKFLOW);
    const prepared = prepareInput('syft.cdx.json', syft, { ingestedAt: INGESTED_AT, options: { service: { id: 'svc:acme/ci-image' } } });
    await store.write(await resolveAgainstStore(prepared, store));
    expect((await store.compromisedNodes()).map((n) => n.id)).toEqual(['pkg:githubactions/tj-actions/changed-files@v44']);
    expect(await store.countNodes('PackageVersion')).toBe(2); // checkout@v4 and changed-files@v44
    const reached = (await computeBlastRadius(store, await defaultSeeds(store))).affected.map((a) => a.id);
    expect(reached).toEqual(expect.arrayContaining(['svc:local/repo/release', 'svc:acme/ci-image']));
  });

  it('a revision that narrows a range unmarks what it no longer covers, in every order, whatever came first', async () => {
    const rev = (modified: string, lastAffected: string) =>
      JSON.stringify({
        id: 'GHSA-rrrr-ssss-tttt',
        modified,
        summary: 'Malicious code in a compromised action',
        affected: [{ package: { ecosystem: 'GitHub Actions', name: 'tj-actions/changed-files' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: lastAffected }] }] }],
      });
    const files: Record<string, string> = {
      'rev1.json': rev('2025-03-15T00:00:00Z', '45.0.7'),
      'rev2.json': rev('2025-03-16T00:00:00Z', '43.0.0'),
      'repo/.github/workflows/release.yml': WORKFLOW.replace('changed-files@v44', 'changed-files@v44\n      - uses: tj-actions/changed-files@v42'),
    };
    const snapshots = new Set<string>();
    for (const order of permutations(Object.keys(files))) {
      await store.clear();
      for (const name of order) await ingest(store, name, files[name]!);
      snapshots.add(await store.snapshotId());
      // v42 is covered by both revisions; v44 only by the first, which the second narrowed.
      expect((await store.compromisedNodes()).map((n) => n.id), order.join(' ')).toEqual(['pkg:githubactions/tj-actions/changed-files@v42']);
      const affects = await store.edgesOf(['osv:GHSA-rrrr-ssss-tttt'], { direction: 'out', kinds: ['AFFECTS'] });
      expect(affects.map((e) => [e.to, e.sources.map((x) => x.source)])).toEqual([
        ['pkg:githubactions/tj-actions/changed-files@v42', ['rev1.json', 'rev2.json']],
        ['pkg:githubactions/tj-actions/changed-files@v44', ['rev1.json', 'rev2.json']],
      ]);
    }
    expect(snapshots.size).toBe(1);
  }, 120_000);

  it('a user mark survives a revision that drops the version', async () => {
    await ingest(store, 'rev1.json', JSON.stringify({ id: 'MAL-2026-9004', modified: '2026-03-01T00:00:00Z', summary: 'malware', affected: [{ package: { ecosystem: 'npm', name: 'left-pad' }, versions: ['1.3.1'] }] }));
    const { markCompromised } = await import('../../server/engine/mark-compromised.js');
    await markCompromised(store, { id: 'pkg:npm/left-pad@1.3.1' }, { source: 'mark:cli', ingestedAt: INGESTED_AT });
    await ingest(store, 'rev2.json', JSON.stringify({ id: 'MAL-2026-9004', modified: '2026-03-02T00:00:00Z', summary: 'malware', affected: [] }));
    expect((await store.compromisedNodes()).map((n) => n.id)).toEqual(['pkg:npm/left-pad@1.3.1']);
  });
});
