/**
 * The explorer's incident-day panels ("Containment plan", "Rotate first") in real headless Chromium
 * against a real server (createApp over an embedded store with the reference scenario and a small
 * graph of this test's own), serving the Vite build of web/ (built here when missing or stale). What
 * the panels show is checked against what the GraphQL API answers for the same input. Screenshots go
 * to test-artifacts/web/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebIfStale, launchChromium, startExplorerServer, type Browser, type ExplorerServer } from '../../scripts/bench/browser-bench.js';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import type { GraphBatch } from '../../server/model/types.js';
import { ARTIFACTS, shot } from '../support/shot.js';

const TRIVY = 'pkg:githubactions/aquasecurity/trivy-action@0.33.1';
const EVIL = 'pkg:npm/t15-evil@1.0.0';
/** Real Chromium on a shared machine: generous, explicit timeouts (a hang still fails). */
const TEST_MS = 180_000;
const SETUP_MS = 300_000;

/**
 * A build service that ran a poisoned package and holds two credentials: a deploy key with three
 * grants (three customers behind them) and a database token reading one customer's dataset (the
 * shortest notification window). Costs decide the plan: contain the build (3), or rotate the key and
 * revoke the token's grant (2 + 1), or revoke all four grants.
 */
const OWN_GRAPH = `version: 1
packages:
  - purl: ${EVIL}
    compromisedAt: 2026-05-01T00:00:00Z
services:
  - id: svc:t15/build
    name: T15 build
    kind: ci
    dependsOn:
      - { purl: ${EVIL}, since: 2026-05-01T02:00:00Z }
    holds: [cred:t15/deploy-key, cred:t15/db-token]
  - { id: svc:t15/api, name: T15 API, kind: app }
  - { id: svc:t15/web, name: T15 web, kind: app }
  - { id: svc:t15/worker, name: T15 worker, kind: app }
credentials:
  - id: cred:t15/deploy-key
    name: T15 deploy key
    type: ssh-key
    grants:
      - { id: svc:t15/api, access: deploy }
      - { id: svc:t15/web, access: deploy }
      - { id: svc:t15/worker, access: admin }
  - id: cred:t15/db-token
    name: T15 CRM database token
    type: db-password
    grants:
      - { id: ds:t15/crm, access: read }
datasets:
  - { id: ds:t15/crm, name: T15 CRM, belongsTo: [org:t15-umbrella] }
customers:
  - { id: org:t15-acme, name: Acme, notifyWithinHours: 24, uses: [svc:t15/api] }
  - { id: org:t15-globex, name: Globex, notifyWithinHours: 72, uses: [svc:t15/web] }
  - { id: org:t15-initech, name: Initech, notifyWithinHours: 48, uses: [svc:t15/worker] }
  - { id: org:t15-umbrella, name: Umbrella, notifyWithinHours: 12 }
`;

function ownGraph(): GraphBatch {
  return prepareInput('t15.yaml', Buffer.from(OWN_GRAPH), { ingestedAt: '2026-04-01T00:00:00Z' }).batch;
}

/**
 * A wide radius: WIDE services each ran the poisoned package, hold a credential of their own and
 * serve a customer of their own. Acting before the compromise takes WIDE actions (contain each), and
 * the queue has WIDE credentials: longer than a page of either panel.
 */
const WIDE = 230;
const WIDE_SEED = 'pkg:npm/t15-wide@1.0.0';
function wideGraph(): GraphBatch {
  const n = (i: number) => String(i).padStart(3, '0');
  const lines = ['version: 1', 'packages:', `  - { purl: ${WIDE_SEED}, compromisedAt: 2026-06-01T00:00:00Z }`, 'services:'];
  for (let i = 0; i < WIDE; i++) lines.push(`  - { id: svc:t15w/s${n(i)}, name: Wide ${n(i)}, kind: app, dependsOn: [{ purl: ${WIDE_SEED} }], holds: [cred:t15w/c${n(i)}] }`);
  lines.push('credentials:');
  for (let i = 0; i < WIDE; i++) lines.push(`  - { id: cred:t15w/c${n(i)}, name: Wide key ${n(i)}, type: api-key }`);
  lines.push('customers:');
  for (let i = 0; i < WIDE; i++) lines.push(`  - { id: org:t15w-${n(i)}, name: Wide customer ${n(i)}, notifyWithinHours: ${24 + (i % 5)}, uses: [svc:t15w/s${n(i)}] }`);
  return prepareInput('t15-wide.yaml', Buffer.from(`${lines.join('\n')}\n`), { ingestedAt: '2026-04-01T00:00:00Z' }).batch;
}

interface Hop {
  from: string;
  edge: string;
  to: string;
}
interface Plan {
  at: string;
  totalCost: number;
  customers: string[];
  actions: Array<{ action: string; node: string; edge: string | null; cost: number; protects: string[]; cuts: Hop[][] }>;
  alreadyReached: string[];
  unprotectable: string[];
  spared: { customers: string[]; assets: string[] };
}
interface Queue {
  credentials: Array<{ credential: string; name: string; type: string | null; deadline: string | null; deadlineCustomer: string | null; customers: string[]; opens: Array<{ id: string; access: string | null }>; heldBy: string[] }>;
}

async function gql<T>(server: ExplorerServer, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const res = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: Array<{ message: string }> };
  if (!body.data) throw new Error(`GraphQL failed: ${body.errors?.[0]?.message ?? res.status}`);
  return body.data;
}

async function apiPlan(server: ExplorerServer, seed: string, at: string, costs: Record<string, number> | null = null): Promise<Plan> {
  const data = await gql<{ containmentPlan: Plan }>(
    server,
    `query($s: [SeedInput!], $at: DateTime, $c: ActionCostsInput) { containmentPlan(seeds: $s, at: $at, costs: $c) {
      at totalCost customers actions { action node edge cost protects cuts { from edge to } } alreadyReached unprotectable spared { customers assets } } }`,
    { s: [{ id: seed }], at, c: costs },
  );
  return data.containmentPlan;
}

async function apiQueue(server: ExplorerServer, seed: string): Promise<Queue> {
  const data = await gql<{ rotationQueue: Queue }>(
    server,
    'query($s: [SeedInput!]) { rotationQueue(seeds: $s) { credentials { credential name type deadline deadlineCustomer customers opens { id access } heldBy } } }',
    { s: [{ id: seed }] },
  );
  return data.rotationQueue;
}

const edgeIds = (path: Hop[]) => [...new Set(path.map((h) => `${h.from}|${h.edge}|${h.to}`))].sort();

async function openWalk(browser: Browser, server: ExplorerServer, seed: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // t at the far end: the walk is drawn at its end, not played.
  await page.goto(`${server.origin}/?seed=${encodeURIComponent(seed)}&t=2030-01-01T00:00:00Z`);
  await page.evaluate(() => (window as any).blast.ready);
  await page.evaluate(() => (window as any).blast.walkFinished());
  return { page, errors };
}

/** Opens the plan panel, fills its form and computes; resolves once the answer (or an error) is shown. */
async function computePlan(page: Page, at: string, costs: { rotate?: string; contain?: string; revoke?: string } = {}): Promise<void> {
  if (!(await page.evaluate(() => (document.getElementById('plan') as HTMLDetailsElement).open))) await page.click('#plan summary');
  await page.fill('#plan-at', at);
  for (const kind of ['rotate', 'contain', 'revoke'] as const) await page.fill(`#plan-cost-${kind}`, costs[kind] ?? '');
  await page.click('#plan-button');
  await page.waitForSelector('#plan-total, #plan-body .panel-error');
}

/** The actions as the panel lists them: kind, node, edge, cost and the protected customers' count. */
async function shownActions(page: Page): Promise<Array<{ action: string; node: string; edge: string | null }>> {
  return page.$$eval('#plan-actions li[data-node]', (lis) =>
    lis.map((li) => ({ action: li.getAttribute('data-action')!, node: li.getAttribute('data-node')!, edge: li.getAttribute('data-edge') })),
  );
}

const ids = (page: Page, list: string) => page.$$eval(`#${list} li[data-id]`, (lis) => lis.map((li) => li.getAttribute('data-id')!));

describe('explorer incident-day panels in Chromium', () => {
  let server: ExplorerServer;
  let locked: ExplorerServer;
  let browser: Browser;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildWebIfStale();
    server = await startExplorerServer({ batches: [ownGraph(), wideGraph()] });
    locked = await startExplorerServer({ batches: [ownGraph()], tokens: 'viewer15:viewer' });
    browser = await launchChromium();
  }, SETUP_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await locked?.close();
  });

  it('plans for the Trivy walk at 2026-03-20 exactly as the API does; an action click selects its node and highlights its first cut path', async () => {
    const { page, errors } = await openWalk(browser, server, TRIVY);
    const at = '2026-03-20T00:00:00Z';
    const api = await apiPlan(server, TRIVY, at);
    expect(api.actions.length).toBeGreaterThan(0);
    await computePlan(page, '2026-03-20T00:00');
    expect(await page.textContent('#plan-total')).toBe(String(api.totalCost));
    expect(await page.textContent('#plan-body')).toContain('acting at 2026-03-20 00:00 UTC');
    expect(await shownActions(page)).toEqual(api.actions.map((a) => ({ action: a.action, node: a.node, edge: a.edge })));
    for (const a of api.actions) {
      const row = await page.textContent(`#plan-actions li[data-node="${a.node}"]${a.edge ? `[data-edge="${a.edge}"]` : ''}`);
      expect(row).toContain(`cost ${a.cost}`);
      expect(row).toContain(`Protects ${a.protects.length} customer`);
    }
    expect(await ids(page, 'plan-customers')).toEqual(api.customers);
    expect(await ids(page, 'plan-already')).toEqual(api.alreadyReached);
    expect(await ids(page, 'plan-unprotectable')).toEqual(api.unprotectable);
    // A past `at`: what acting then would have spared.
    const spared = `${api.spared.customers.length} customer${api.spared.customers.length === 1 ? '' : 's'} and ${api.spared.assets.length} other node`;
    expect(await page.textContent('#plan-spared')).toContain(`would have spared ${spared}`);
    expect(await page.textContent('#plan-count')).toContain(`${api.actions.length} action`);

    // Clicking the first action selects its node in the graph and highlights the server's first cut.
    const first = api.actions[0]!;
    await page.click('#plan-actions li[data-index="0"] button');
    expect(await page.evaluate(() => (window as any).blast.state().selected)).toBe(first.node);
    expect(await page.evaluate((id) => (window as any).cy.getElementById(id).selected(), first.node)).toBe(true);
    expect(await page.textContent('#details-body')).toContain(first.node);
    const hl = await page.evaluate(() => (window as any).blast.highlighted());
    expect(hl.nodes).toContain(first.node);
    expect(hl.edges).toEqual(edgeIds(first.cuts[0]!));
    expect(await page.getAttribute('#plan-actions li[data-index="0"]', 'class')).toContain('focused');
    // The opened action lists every customer it protects.
    expect(await page.$$eval('#plan-actions li[data-index="0"] .protects-list li[data-id]', (lis) => lis.map((li) => li.getAttribute('data-id')))).toEqual(first.protects);
    await shot(page, '20-plan-trivy-2026-03-20');
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('cost overrides reach the server: the panel follows the API plan for each set of costs, and bad costs are refused in the panel', async () => {
    const { page, errors } = await openWalk(browser, server, EVIL);
    const at = '2026-04-30T00:00:00Z';
    const cases: Array<{ costs: Record<string, string>; vars: Record<string, number> | null }> = [
      { costs: {}, vars: null },
      { costs: { contain: '10' }, vars: { contain: 10 } },
      { costs: { contain: '10', rotate: '5' }, vars: { contain: 10, rotate: 5 } },
    ];
    const kinds: string[] = [];
    for (const c of cases) {
      const api = await apiPlan(server, EVIL, at, c.vars);
      await computePlan(page, '2026-04-30T00:00', c.costs);
      expect(await page.textContent('#plan-total'), JSON.stringify(c.costs)).toBe(String(api.totalCost));
      expect(await shownActions(page)).toEqual(api.actions.map((a) => ({ action: a.action, node: a.node, edge: a.edge })));
      kinds.push(api.actions.map((a) => a.action).join(','));
      // Each action's first cut, derived in the page from the walk, is the server's.
      for (let i = 0; i < api.actions.length; i++) {
        await page.click(`#plan-actions li[data-index="${i}"] button`);
        expect(await page.evaluate(() => (window as any).blast.highlighted().edges)).toEqual(edgeIds(api.actions[i]!.cuts[0]!));
        expect(await page.evaluate(() => (window as any).blast.state().selected)).toBe(api.actions[i]!.node);
      }
    }
    // The overrides changed the plan (otherwise this test could not tell them apart).
    expect(new Set(kinds).size).toBe(cases.length);
    await shot(page, '21-plan-own-graph-costs');

    // Refused before asking the server, naming the field.
    await computePlan(page, '2026-04-30T00:00', { revoke: '0' });
    expect(await page.textContent('#plan-body .panel-error')).toContain('revoke cost must be a whole number from 1 to 1,000,000');
    expect(await page.$('#plan-total')).toBeNull();

    // Acting after every customer is reached: nothing to do, all already reached.
    const late = await apiPlan(server, EVIL, '2026-05-01T03:00:00Z');
    await computePlan(page, '2026-05-01T03:00');
    expect(await page.textContent('#plan-total')).toBe(String(late.totalCost));
    expect(await ids(page, 'plan-already')).toEqual(late.alreadyReached);
    expect(late.alreadyReached.length).toBeGreaterThan(0);
    expect(await page.textContent('#plan-body')).toContain('No action needed');
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('the rotation queue is listed in the API’s order with what each credential opens; a click selects the credential', async () => {
    for (const seed of [TRIVY, EVIL]) {
      const { page, errors } = await openWalk(browser, server, seed);
      const api = await apiQueue(server, seed);
      expect(api.credentials.length).toBeGreaterThan(1);
      await page.click('#queue summary');
      await page.waitForSelector('#queue-list li[data-id]');
      expect(await ids(page, 'queue-list'), seed).toEqual(api.credentials.map((c) => c.credential));
      expect(await page.textContent('#queue-count')).toBe(`(${api.credentials.length})`);
      for (const c of api.credentials.slice(0, 5)) {
        const row = (await page.textContent(`#queue-list li[data-id="${c.credential}"]`))!;
        expect(row).toContain(c.name);
        if (c.type) expect(row).toContain(c.type);
        expect(row).toContain(c.customers.length ? `Leads to ${c.customers.length} customer` : 'Leads to no customer');
        if (c.opens[0]?.access) expect(row).toContain(`(${c.opens[0].access})`);
        if (c.deadline) expect(row).toContain(`Deadline ${c.deadline.slice(0, 10)} ${c.deadline.slice(11, 16)} UTC`);
      }
      const second = api.credentials[1]!;
      await page.click(`#queue-list li[data-id="${second.credential}"] button`);
      expect(await page.evaluate(() => (window as any).blast.state().selected)).toBe(second.credential);
      expect(await page.evaluate((id) => (window as any).cy.getElementById(id).selected(), second.credential)).toBe(true);
      // …and highlights how the compromise reached it (its evidence path in the walk).
      const reached = await page.evaluate((id) => ((window as any).blast.result() as { affected: Array<{ id: string; path: Hop[] }> }).affected.find((a) => a.id === id)!.path, second.credential);
      expect(await page.evaluate(() => (window as any).blast.highlighted().edges)).toEqual(edgeIds(reached));
      if (seed === EVIL) await shot(page, '22-rotation-queue-own-graph');
      expect(errors).toEqual([]);
      await page.close();
    }
  }, TEST_MS);

  it('says so plainly when nothing is left to rotate, and the queue follows a new walk', async () => {
    // From the CRM dataset, the walk reaches its customer and no credential.
    const { page, errors } = await openWalk(browser, server, 'ds:t15/crm');
    expect((await apiQueue(server, 'ds:t15/crm')).credentials).toEqual([]);
    await page.click('#queue summary');
    await page.waitForSelector('#queue-empty');
    expect(await page.textContent('#queue-empty')).toContain('Nothing to rotate');
    expect(await page.textContent('#queue-count')).toBe('(0)');
    // Walking elsewhere with the panel open reloads it for the new walk.
    await page.evaluate((id) => (window as any).blast.explorer.seedAndWalk(id), EVIL);
    await page.evaluate(() => (window as any).blast.walkFinished());
    await page.waitForSelector('#queue-list li[data-id]');
    expect(await ids(page, 'queue-list')).toEqual((await apiQueue(server, EVIL)).credentials.map((c) => c.credential));
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('shows the server’s errors in the panels (here: a token is needed), and recovers once one is given', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${locked.origin}/?seed=${encodeURIComponent(EVIL)}&t=2030-01-01T00:00:00Z`);
    await page.evaluate(() => (window as any).blast.ready);
    await expect.poll(() => page.textContent('#overlay')).toContain('needs an access token');
    // The token form opened by itself; close it to reach the panels, as a person would.
    await expect.poll(() => page.evaluate(() => (document.getElementById('auth') as HTMLDetailsElement).open)).toBe(true);
    await page.click('#auth summary');
    await computePlan(page, '2026-04-30T00:00');
    const planError = (await page.textContent('#plan-body .panel-error'))!;
    expect(planError).toContain('This server needs an access token');
    expect(planError).toContain('UNAUTHENTICATED');
    await page.click('#queue summary');
    await page.waitForSelector('#queue-body .panel-error');
    expect(await page.textContent('#queue-body .panel-error')).toContain('UNAUTHENTICATED');
    await shot(page, '23-plan-error-token');
    await page.click('#auth summary');
    await page.fill('#token-input', 'viewer15');
    await page.click('#token-save');
    await page.evaluate(() => (window as any).blast.walkFinished());
    await page.waitForSelector('#queue-list li[data-id]');
    await computePlan(page, '2026-04-30T00:00');
    const api = await gql<{ containmentPlan: { totalCost: number } }>(
      locked,
      'query($s: [SeedInput!]) { containmentPlan(seeds: $s, at: "2026-04-30T00:00:00Z") { totalCost } }',
      { s: [{ id: EVIL }] },
      'viewer15',
    );
    expect(await page.textContent('#plan-total')).toBe(String(api.containmentPlan.totalCost));
    await page.close();
  }, TEST_MS);

  it('draws a long plan and queue a page at a time: “Show more” adds the next, in the API’s order', async () => {
    const { page, errors } = await openWalk(browser, server, WIDE_SEED);
    const api = await apiPlan(server, WIDE_SEED, '2026-05-01T00:00:00Z');
    expect(api.actions.length).toBe(WIDE);
    await computePlan(page, '2026-05-01T00:00');
    expect(await page.textContent('#plan-total')).toBe(String(api.totalCost));
    const all = api.actions.map((a) => ({ action: a.action, node: a.node, edge: a.edge }));
    expect(await shownActions(page)).toEqual(all.slice(0, 100));
    expect(await page.textContent('#plan-actions .show-more')).toBe(`Show 100 more (${WIDE - 100} actions left)`);
    await page.click('#plan-actions .show-more');
    expect(await shownActions(page)).toEqual(all.slice(0, 200));
    // The keyboard goes on at the first new row.
    expect(await page.evaluate(() => document.activeElement?.closest('li')?.getAttribute('data-index'))).toBe('100');
    await page.click('#plan-actions .show-more');
    expect(await shownActions(page)).toEqual(all);
    expect(await page.$('#plan-actions .show-more')).toBeNull();
    // A row from a later page works like the first.
    await page.click('#plan-actions li[data-index="210"] button');
    expect(await page.evaluate(() => (window as any).blast.state().selected)).toBe(api.actions[210]!.node);
    // The cut-off customers are paged too.
    expect(await ids(page, 'plan-customers')).toEqual(api.customers.slice(0, 100));

    const queue = await apiQueue(server, WIDE_SEED);
    expect(queue.credentials.length).toBe(WIDE);
    await page.click('#queue summary');
    await page.waitForSelector('#queue-list li[data-id]');
    expect(await ids(page, 'queue-list')).toEqual(queue.credentials.slice(0, 100).map((c) => c.credential));
    await page.focus('#queue-list .show-more');
    await page.keyboard.press('Enter');
    expect(await ids(page, 'queue-list')).toEqual(queue.credentials.slice(0, 200).map((c) => c.credential));
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('in the overview (groups), an action inside a group is drawn on its own, selected and highlighted', async () => {
    const page = await browser.context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.origin}/?seed=${encodeURIComponent(WIDE_SEED)}&t=2030-01-01T00:00:00Z&ov=on`);
    await page.evaluate(() => (window as any).blast.ready);
    await page.evaluate(() => (window as any).blast.walkFinished());
    const api = await apiPlan(server, WIDE_SEED, '2026-05-01T00:00:00Z');
    const target = api.actions[137]!;
    // Before: the overview draws the target inside a group.
    expect(await page.evaluate(() => (window as any).blast.visibleNodeIds())).not.toContain(target.node);
    await computePlan(page, '2026-05-01T00:00');
    await page.click('#plan-actions .show-more');
    await page.click('#plan-actions li[data-index="137"] button');
    await page.evaluate(() => (window as any).blast.afterRender());
    expect(await page.evaluate(() => (window as any).blast.visibleNodeIds())).toContain(target.node);
    expect(await page.evaluate((id) => (window as any).cy.getElementById(id).selected(), target.node)).toBe(true);
    const hl = await page.evaluate(() => (window as any).blast.highlighted());
    expect(hl.nodes).toContain(target.node);
    expect(hl.edges).toEqual(edgeIds(target.cuts[0]!));
    await shot(page, '24-plan-action-in-overview');
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('asks for no `cuts` and no queue paths (the panels’ queries stay small on big radii)', async () => {
    const { page } = await openWalk(browser, server, EVIL);
    const bodies: string[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/graphql') && r.method() === 'POST') bodies.push(r.postData() ?? '');
    });
    await computePlan(page, '2026-04-30T00:00');
    await page.click('#queue summary');
    await page.waitForSelector('#queue-list li[data-id]');
    await page.click('#plan-actions li[data-index="0"] button');
    const plan = bodies.filter((b) => b.includes('containmentPlan'));
    const queue = bodies.filter((b) => b.includes('rotationQueue'));
    expect(plan).toHaveLength(1);
    expect(queue).toHaveLength(1);
    expect(plan[0]).not.toMatch(/\bcuts\b/);
    expect(queue[0]).not.toMatch(/\bpath\b/);
    await page.close();
  }, TEST_MS);
});

