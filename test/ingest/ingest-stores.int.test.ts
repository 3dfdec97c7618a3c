/**
 * Every real fixture ingests on every store, with counts computed independently from the file; an
 * advisory makes litellm 1.82.7/1.82.8 compromised so `blast radius` with no seed finds the services
 * that ran them; the same file twice changes nothing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { computeBlastRadius, defaultSeeds } from '../../server/engine/blast-radius.js';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import { resolveAgainstStore } from '../../server/ingest/resolve.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { STORES } from '../support/stores.js';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/real/', import.meta.url));
const INGESTED_AT = '2026-04-01T00:00:00Z';

function allFixtures(dir = FIXTURES): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return allFixtures(path);
    return name === 'SOURCES.md' ? [] : [path];
  });
}

async function ingest(store: GraphStore, path: string, text = readFileSync(path)) {
  const prepared = prepareInput(path, text, { ingestedAt: INGESTED_AT });
  return store.write(await resolveAgainstStore(prepared, store));
}

/** Distinct purls with a version in a CycloneDX or SPDX file, counted with a plain regex walk. */
function versionedPurls(text: string): number {
  const purls = new Set<string>();
  for (const m of text.matchAll(/"(?:purl|referenceLocator)"\s*:\s*"(pkg:[^"]+)"/g)) {
    const purl = decodeURIComponent(m[1]!.split('?')[0]!.split('#')[0]!).toLowerCase();
    if (/@[^/]+$/.test(purl)) purls.add(purl.replace(/_/g, '-'));
  }
  return purls.size;
}

describe.each(STORES)('ingest of the real fixtures: $backend', (adapter) => {
  let store: GraphStore;
  beforeAll(async () => {
    store = await adapter.setup();
  });
  afterAll(async () => adapter.teardown(store));
  beforeEach(async () => store.clear());

  it('ingests every fixture, and a second time changes nothing', async () => {
    const files = allFixtures();
    expect(files.length).toBeGreaterThanOrEqual(19);
    for (const file of files) {
      const first = await ingest(store, file);
      const again = await ingest(store, file);
      expect(again.nodes.added + again.nodes.updated, file).toBe(0);
      expect(again.edges.added + again.edges.updated, file).toBe(0);
      expect(again.snapshotId, file).toBe(first.snapshotId);
    }
  }, 600_000);

  it('holds as many package versions as the SBOMs name distinct versioned purls', async () => {
    for (const rel of [
      'sbom/cyclonedx/bom-examples-laravel-7.12.0/bom.1.4.json',
      'sbom/cyclonedx/youtube-to-docs/sbom.cdx.json',
      'sbom/spdx/protobom-conformance/kubernetes_kubernetes_d61cbac69aae97db1839bd2e0e86d68f26b353a7.json',
    ]) {
      await store.clear();
      const text = readFileSync(join(FIXTURES, rel), 'utf8');
      await ingest(store, join(FIXTURES, rel));
      expect(await store.countNodes('PackageVersion'), rel).toBe(versionedPurls(text));
    }
  });

  it('holds one version per [[package]] of a uv.lock', async () => {
    const path = join(FIXTURES, 'lockfiles/stanfordnlp-dspy/uv.lock');
    const text = readFileSync(path, 'utf8');
    const packages = new Set([...text.matchAll(/\[\[package\]\]\nname = "([^"]+)"\nversion = "([^"]+)"/g)].map((m) => `${m[1]!.toLowerCase().replace(/[-_.]+/g, '-')}@${m[2]}`));
    await ingest(store, path);
    expect(await store.countNodes('PackageVersion')).toBe(packages.size);
    const [a, b] = await store.getNodes(['pkg:pypi/litellm@1.68.0', 'pkg:pypi/litellm@1.72.6']);
    expect(a?.kind).toBe('PackageVersion');
    expect(b?.kind).toBe('PackageVersion');
  });

  it('marks litellm 1.82.7 and 1.82.8 from MAL-2026-2144, and radius without seeds reaches the service that ran 1.82.8', async () => {
    await ingest(
      store,
      'inventory.yaml',
      Buffer.from(`version: 1
packages:
  - { purl: pkg:pypi/litellm@1.82.6, publishedAt: 2026-03-18T19:26:00Z }
  - { purl: pkg:pypi/litellm@1.82.7, publishedAt: 2026-03-24T10:39:00Z }
  - { purl: pkg:pypi/litellm@1.82.8, publishedAt: 2026-03-24T10:52:00Z }
services:
  - id: svc:acme/labeling-api
    dependsOn: [{ purl: pkg:pypi/litellm@1.82.8, since: 2026-03-24T11:00:00Z }]
    holds: [cred:acme/s3-reader]
  - id: svc:acme/old-api
    dependsOn: [{ purl: pkg:pypi/litellm@1.82.6, since: 2026-03-20T00:00:00Z }]
`),
    );
    await ingest(store, join(FIXTURES, 'osv/MAL-2026-2144.json'));
    const marked = (await store.compromisedNodes()).map((n) => n.id);
    expect(marked).toEqual(['pkg:pypi/litellm@1.82.7', 'pkg:pypi/litellm@1.82.8']);
    const result = await computeBlastRadius(store, await defaultSeeds(store), {});
    const ids = result.affected.map((a) => a.id);
    expect(ids).toContain('svc:acme/labeling-api');
    expect(ids).toContain('cred:acme/s3-reader');
    expect(ids).not.toContain('svc:acme/old-api');
    expect(result.affected.find((a) => a.id === 'svc:acme/labeling-api')?.firstExposedAt).toBe('2026-03-24T11:00:00Z');
  });

  it('evaluates GHSA ranges against known versions: trivy-action 0.33.1 and 0.34.0, not 0.35.0', async () => {
    await ingest(
      store,
      'actions.yaml',
      Buffer.from(`version: 1
packages:
  - purl: pkg:githubactions/aquasecurity/trivy-action@0.33.1
  - purl: pkg:githubactions/aquasecurity/trivy-action@0.34.0
  - purl: pkg:githubactions/aquasecurity/trivy-action@0.35.0
`),
    );
    await ingest(store, join(FIXTURES, 'osv/GHSA-69fq-xp46-6x23.json'));
    const affects = await store.edgesOf(['osv:GHSA-69fq-xp46-6x23'], { direction: 'out', kinds: ['AFFECTS'] });
    const targets = affects.map((e) => e.to).filter((id) => id.includes('trivy-action'));
    expect(targets.sort()).toEqual(['pkg:githubactions/aquasecurity/trivy-action@0.33.1', 'pkg:githubactions/aquasecurity/trivy-action@0.34.0']);
  });

  it('leaves the store unchanged when a file is refused', async () => {
    await ingest(store, join(FIXTURES, 'osv/MAL-2026-2144.json'));
    const before = await store.snapshotId();
    const bad = [
      ['truncated.json', readFileSync(join(FIXTURES, 'sbom/cyclonedx/bom-examples-laravel-7.12.0/bom.1.4.json')).subarray(0, 5000)],
      ['secret.yaml', Buffer.from('version: 1\ncredentials:\n  - id: cred:acme/k\n    note: AKIAIOSFODNN7EXAMPLE\n')],
      ['wrong.json', Buffer.from('{"bomFormat":"CycloneDX","specVersion":"1.5","components":{"a":1}}')],
      ['unknown.txt', Buffer.from('hello world\nthis is not a format\n')],
    ] as const;
    for (const [name, bytes] of bad) {
      await expect(ingest(store, name, Buffer.from(bytes)), name).rejects.toMatchObject({ name: 'BlastError', input: name });
    }
    expect(await store.snapshotId()).toBe(before);
  });
});
