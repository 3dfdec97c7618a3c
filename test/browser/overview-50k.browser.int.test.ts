/**
 * The overview at enterprise scale in real headless Chromium: a synthetic graph of 62,500 nodes whose
 * most popular version reaches about 50,000 of them. The walk is drawn as groups whose counts equal
 * the API's counts by kind and owner, a group expands to exactly its members, and the screenshot of
 * the overview goes to test-artifacts/web/overview-50k.png. Slow (ingest and a 50,000-node answer).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebIfStale, launchChromium, repoRoot, startExplorerServer, type Browser, type ExplorerServer } from '../../scripts/bench/browser-bench.js';
import { planSynthetic } from '../../seed/synthetic/generate.js';

const ARTIFACTS = join(repoRoot(), 'test-artifacts', 'web');
const TEST_MS = 600_000;
const SETUP_MS = 900_000;

describe('overview of a 50,000-node radius in Chromium', () => {
  let server: ExplorerServer;
  let browser: Browser;
  const plan = planSynthetic({ nodes: 62_500 });
  const seed = plan.popularVersions[0]!;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildWebIfStale();
    server = await startExplorerServer({ scenario: false, batches: plan.batches() });
    browser = await launchChromium();
  }, SETUP_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws groups with the API’s counts, expands one to exactly its members, and writes the screenshot', async () => {
    const res = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($s: [SeedInput!]) { blastRadius(seeds: $s) { affected { id kind } } }', variables: { s: [{ id: seed }] } }),
    });
    const affected = ((await res.json()) as { data: { blastRadius: { affected: Array<{ id: string; kind: string }> } } }).data.blastRadius.affected;
    expect(affected.length).toBeGreaterThan(40_000);
    const expected = new Map<string, number>();
    for (const a of affected) {
      if (a.kind === 'Customer') continue;
      const owner = a.kind === 'PackageVersion' ? a.id.slice(0, a.id.lastIndexOf('@')) : a.id.slice(a.id.indexOf(':') + 1).split('/')[0]!;
      expected.set(`grp:${a.kind}:${owner}`, (expected.get(`grp:${a.kind}:${owner}`) ?? 0) + 1);
    }
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.origin}/?seed=${seed}&t=9999-12-31T23:59:59Z`);
    await page.waitForFunction(() => Boolean((window as any).blast?.metrics().drawnAt), undefined, { timeout: 540_000, polling: 250 });
    const overview = await page.evaluate(() => (window as any).blast.overview());
    // Groups by kind and owner (`grp:Kind:owner`); a kind with too many of them is also one node
    // (`grp:Kind`) until opened, holding them all.
    const byOwner = overview.groups.filter((g: { id: string }) => g.id.split(':').length > 2);
    expect(new Map(byOwner.map((g: { id: string; count: number }) => [g.id, g.count]))).toEqual(expected);
    for (const k of overview.groups.filter((g: { id: string }) => g.id.split(':').length === 2)) {
      expect(k.count).toBe(affected.filter((a) => `grp:${a.kind}` === k.id).length);
    }
    const drawn: number = await page.evaluate(() => (window as any).cy.nodes().length);
    expect(drawn).toBeLessThan(1500);
    await page.evaluate(() => (window as any).blast.afterRender());
    await page.screenshot({ path: join(ARTIFACTS, 'overview-50k.png') });
    // Expand the smallest group of services' neighbours: the credentials of syn.
    const group = 'grp:Credential:syn';
    const before: string[] = await page.evaluate(() => (window as any).blast.visibleNodeIds());
    await page.evaluate((id) => (window as any).blast.toggleGroup(id, true), group);
    const after: string[] = await page.evaluate(() => (window as any).blast.visibleNodeIds());
    const members = affected.filter((a) => a.kind === 'Credential' && a.id.startsWith('cred:syn/')).map((a) => a.id).sort();
    const beforeSet = new Set(before);
    expect(after.filter((id) => !beforeSet.has(id)).sort()).toEqual(members);
    await page.screenshot({ path: join(ARTIFACTS, 'overview-50k-expanded.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_MS);
});
