/**
 * The start page in real headless Chromium against a real server: what is marked compromised now
 * (exactly the API's list, with advisories and since when), open incidents, one click to walk; and,
 * on an empty graph, how to ingest with the CLI line. Screenshots go to test-artifacts/web/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebIfStale, launchChromium, repoRoot, startExplorerServer, type Browser, type ExplorerServer } from '../../scripts/bench/browser-bench.js';
import type { GraphBatch } from '../../server/model/types.js';

const ARTIFACTS = join(repoRoot(), 'test-artifacts', 'web');
const TEST_MS = 180_000;
const SETUP_MS = 300_000;
const HOSTILE = '<img src=x onerror="window.__xss=1;alert(1)">';

/** A host marked compromised by an ingested compromisedAt, with a hostile name. */
function hostileHost(): GraphBatch {
  const sources = [{ source: 'hosts.yaml', sha256: 'd'.repeat(64), ingestedAt: '2026-04-01T00:00:00Z' }];
  return {
    input: 'hosts.yaml',
    nodes: [{ id: 'svc:test/breached-host', kind: 'Service', name: HOSTILE, props: { compromisedAt: '2026-03-22T06:00:00Z', advisories: ['osv:TEST-1'] }, sources }],
    edges: [{ from: 'svc:test/breached-host', kind: 'HOLDS', to: 'cred:labelwise/pypi-publish', sources }],
  };
}

async function gql<T>(server: ExplorerServer, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const res = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!body.data) throw new Error(`GraphQL failed: ${body.errors?.[0]?.message ?? res.status}`);
  return body.data;
}

async function openStart(browser: Browser, url: string): Promise<{ page: Page; dialogs: string[]; errors: string[] }> {
  const page = await browser.context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.evaluate(() => (window as any).blast.ready);
  return { page, dialogs, errors };
}

describe('start page in Chromium', () => {
  let server: ExplorerServer;
  let empty: ExplorerServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildWebIfStale();
    server = await startExplorerServer({ batches: [hostileHost()] });
    empty = await startExplorerServer({ scenario: false });
    browser = await launchChromium();
    await gql(server, 'mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }', {
      i: { id: 'inc:test-open', name: 'Trivy tags hijacked', seeds: [{ id: 'pkg:githubactions/aquasecurity/trivy-action@0.33.1' }] },
    });
    await gql(server, 'mutation($i: CreateIncidentInput!) { createIncident(input: $i) { id } }', {
      i: { id: 'inc:test-closed', name: 'Old and closed', status: 'closed', seeds: [{ id: 'svc:test/breached-host' }] },
    });
  }, SETUP_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await empty?.close();
  });

  it('lists exactly what the API marks compromised, with advisories and since when, and the open incidents', async () => {
    const api = await gql<{ compromisedNodes: { total: number; nodes: Array<{ id: string; name: string; compromisedAt: string | null; props: { advisories?: string[] } }> } }>(
      server,
      '{ compromisedNodes { total nodes { id name compromisedAt props } } }',
    );
    expect(api.compromisedNodes.total).toBeGreaterThanOrEqual(2);
    const { page, dialogs, errors } = await openStart(browser, `${server.origin}/`);
    await page.locator('#start-compromised').waitFor({ timeout: 30_000 });
    const listed = await page.$$eval('#start-compromised li', (lis) => lis.map((li) => li.getAttribute('data-id')));
    expect(listed).toEqual(api.compromisedNodes.nodes.map((n) => n.id));
    expect(await page.textContent('#start-compromised-h')).toBe(`Marked compromised now (${api.compromisedNodes.total})`);
    const host = page.locator('#start-compromised li[data-id="svc:test/breached-host"]');
    expect(await host.textContent()).toContain(HOSTILE);
    expect(await host.textContent()).toContain('since 2026-03-22 06:00 UTC · osv:TEST-1');
    expect(await page.locator('#start-page img').count()).toBe(0);
    const incidents = await page.$$eval('#start-incidents li', (lis) => lis.map((li) => li.getAttribute('data-id')));
    expect(incidents).toEqual(['inc:test-open']);
    expect(await page.textContent('#start-incidents')).toContain('1 seed');
    await page.screenshot({ path: join(ARTIFACTS, 'start-page.png') });
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    await page.close();
  }, TEST_MS);

  it('walks from a compromised node, or from an incident’s seeds, in one click', async () => {
    const { page } = await openStart(browser, `${server.origin}/`);
    await page.locator('#start-compromised').waitFor({ timeout: 30_000 });
    await page.evaluate(() => (window as any).blast.setWalkDuration(300));
    await page.click('#start-compromised li[data-id="svc:test/breached-host"] button');
    await page.evaluate(() => (window as any).blast.walkFinished());
    expect((await page.evaluate(() => (window as any).blast.state())).seeds).toEqual(['svc:test/breached-host']);
    expect(decodeURIComponent(page.url())).toContain('seed=svc:test/breached-host');
    expect(await page.evaluate(() => (window as any).blast.visibleNodeIds())).toContain('cred:labelwise/pypi-publish');
    await page.goBack();
    await page.locator('#start-incidents').waitFor({ timeout: 30_000 });
    await page.click('#start-incidents li[data-id="inc:test-open"] button');
    await page.evaluate(() => (window as any).blast.walkFinished());
    expect((await page.evaluate(() => (window as any).blast.state())).seeds).toEqual(['pkg:githubactions/aquasecurity/trivy-action@0.33.1']);
    await page.close();
  }, TEST_MS);

  it('marks incidents changed since this browser last looked', async () => {
    const first = await openStart(browser, `${server.origin}/`);
    await first.page.locator('#start-incidents').waitFor({ timeout: 30_000 });
    await first.page.close();
    await gql(server, 'mutation { updateIncident(id: "inc:test-open", input: { notes: "customers informed" }) { id } }');
    const { page } = await openStart(browser, `${server.origin}/`);
    await page.locator('#start-incidents').waitFor({ timeout: 30_000 });
    expect(await page.textContent('#start-incidents li[data-id="inc:test-open"]')).toContain('new since you last looked');
    await page.close();
    // Seen now: the next visit shows nothing new.
    const again = await openStart(browser, `${server.origin}/`);
    await again.page.locator('#start-incidents').waitFor({ timeout: 30_000 });
    expect(await again.page.textContent('#start-incidents')).not.toContain('new since you last looked');
    await again.page.close();
  }, TEST_MS);

  it('on an empty graph, says how to ingest, with the CLI line to copy', async () => {
    const { page, errors } = await openStart(browser, `${empty.origin}/`);
    await page.locator('#ingest-line').waitFor({ timeout: 30_000 });
    expect(await page.textContent('#start-page h2')).toBe('The graph is empty');
    expect(await page.textContent('#ingest-line')).toBe('npx blast ingest seed/reference/scenario.yaml');
    expect(await page.locator('#copy-ingest').isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'start-page-empty.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_MS);
});
