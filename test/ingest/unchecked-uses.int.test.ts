/**
 * Uses an advisory cannot judge (a branch, a commit without a `# vX` comment) are listed with a
 * warning and kept queryable (GraphQL `uncheckedUses`), whichever came first; a commit pinned with its
 * tag in a comment is judged as that tag and records both. The workflow's token scope includes
 * job-level permissions.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import { resolveAgainstStore } from '../../server/ingest/resolve.js';
import { uncheckedUses } from '../../server/ingest/unchecked-uses.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { gql, makeApp } from '../api/helpers.js';
import { STORES, useStore } from '../support/stores.js';
import { fixturePath } from './helpers.js';

const INGESTED_AT = '2026-04-01T00:00:00Z';
const SHA = '915b19bbe73b92a6cf82a1bc12b087c9a19a5fe2';
const PINNED = 'a7a829a4b2bb8cd3e24e4f6eaba26f9b8f4bd3ba';

const WORKFLOW = `name: scan
on: [push]
permissions: { contents: read }
jobs:
  scan:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      id-token: write
    steps:
      - uses: aquasecurity/trivy-action@master
      - uses: aquasecurity/trivy-action@${SHA}
      - uses: aquasecurity/trivy-action@${PINNED} # v0.33.1
      - uses: aquasecurity/setup-trivy@v0.2.7
`;

const ADVISORY = readFileSync(fixturePath('osv/GHSA-69fq-xp46-6x23.json'), 'utf8');
const ADV = 'osv:GHSA-69fq-xp46-6x23';

async function ingest(store: GraphStore, name: string, content: string) {
  const batch = await resolveAgainstStore(prepareInput(name, content, { ingestedAt: INGESTED_AT, options: name.endsWith('.yml') ? { repo: 'acme/app' } : {} }), store);
  await store.write(batch);
  return batch.warnings ?? [];
}

describe.each(STORES)('uses an advisory could not check: $backend', (adapter) => {
  let store: GraphStore;
  useStore(adapter, (s) => (store = s), { beforeEach: (s) => s.clear() });

  it('are listed, kept queryable and the same whichever file came first; a `# vX` pin is judged as vX', async () => {
    const snapshots: string[] = [];
    for (const order of [
      ['scan.yml', 'advisory.json'],
      ['advisory.json', 'scan.yml'],
    ]) {
      await store.clear();
      const warnings: string[] = [];
      for (const name of order) warnings.push(...(await ingest(store, name, name === 'scan.yml' ? WORKFLOW : ADVISORY)));
      snapshots.push(await store.snapshotId());
      const text = warnings.join('\n');
      expect(text, order.join(' ')).toContain(
        `2 use(s) could not be checked against ${ADV} (a branch or commit, not a version it can order): pkg:githubactions/aquasecurity/trivy-action@${SHA}, pkg:githubactions/aquasecurity/trivy-action@master`,
      );
      const uses = await uncheckedUses(store, ADV);
      expect(uses.map((u) => [u.version.id, u.usedBy])).toEqual([
        [`pkg:githubactions/aquasecurity/trivy-action@${SHA}`, ['svc:acme/app/scan']],
        ['pkg:githubactions/aquasecurity/trivy-action@master', ['svc:acme/app/scan']],
      ]);
      // The commit pinned as v0.33.1 is judged as v0.33.1 (inside the range) and both are recorded.
      const marked = (await store.compromisedNodes()).map((n) => n.id);
      // (the Go module version is named in the record itself; setup-trivy v0.2.7 is past its fix.)
      expect(marked).toEqual(['pkg:githubactions/aquasecurity/trivy-action@v0.33.1', 'pkg:golang/github.com/aquasecurity/trivy@0.69.4']);
      const [pin] = await store.getNodes([`pkg:githubactions/aquasecurity/trivy-action@${PINNED}`]);
      expect(pin!.props).toEqual({ commentTag: 'v0.33.1' });
      const deps = await store.edgesOf(['svc:acme/app/scan'], { direction: 'out', kinds: ['DEPENDS_ON'] });
      expect(deps.find((e) => e.to.endsWith('@v0.33.1'))!.confidence).toBe('likely');
      expect(deps.find((e) => e.to.endsWith(`@${PINNED}`))!.confidence).toBeUndefined();
    }
    expect(snapshots[0]).toBe(snapshots[1]);

    const app = makeApp(store);
    const res = await gql(app.fetch, 'http://127.0.0.1', 'query($a: ID!) { uncheckedUses(advisory: $a) { version { id } usedBy { id kind } } }', { a: 'GHSA-69fq-xp46-6x23' });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data!.uncheckedUses).toEqual([
      { version: { id: `pkg:githubactions/aquasecurity/trivy-action@${SHA}` }, usedBy: [{ id: 'svc:acme/app/scan', kind: 'Service' }] },
      { version: { id: 'pkg:githubactions/aquasecurity/trivy-action@master' }, usedBy: [{ id: 'svc:acme/app/scan', kind: 'Service' }] },
    ]);
    const missing = await gql(app.fetch, 'http://127.0.0.1', '{ uncheckedUses(advisory: "osv:GHSA-none") { version { id } } }');
    expect(missing.body.errors![0]!.extensions!.code).toBe('NOT_FOUND');
  });

  it("the token's scope includes job-level permissions", async () => {
    await ingest(store, 'scan.yml', WORKFLOW);
    const [token] = await store.getNodes(['cred:acme/app/GITHUB_TOKEN']);
    expect(token!.props.scope).toBe('contents: write, id-token: write');
  });
});
