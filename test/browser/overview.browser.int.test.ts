/**
 * The overview in real headless Chromium against a real server (embedded store holding the reference
 * scenario plus a generated ~1,750-node radius): above the threshold the walk is drawn as groups by
 * kind and owner; a group expands in place and collapses; the link keeps expanded groups and the
 * layout; the scrubber lights a group when its first member is reached; hostile owners and names stay
 * text. Screenshots go to test-artifacts/web/.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebIfStale, launchChromium, startExplorerServer, type Browser, type ExplorerServer } from '../../scripts/bench/browser-bench.js';
import type { GraphBatch, NodeInput, EdgeInput } from '../../server/model/types.js';
import { ARTIFACTS, shot } from '../support/shot.js';

const TEST_MS = 180_000;
const SETUP_MS = 300_000;
const SEED = 'pkg:npm/ov-core@1.0.0';
/** Owners of services and credentials; one is markup, kept as text everywhere. */
const HOSTILE_OWNER = '<b>bold&amp;"\'<i>';
const OWNERS = ['acme', 'globex', HOSTILE_OWNER, 'initech'];
const HOSTILE_NAME = '<img src=x onerror="window.__xss=1;alert(1)">';

/**
 * A radius of 1,741 nodes: the seed version; 120 versions of three packages depending on it; 200
 * services per owner, each owner starting on its own day; a credential on every second service; a
 * dataset granted by each credential; 20 customers owning the datasets.
 */
function radiusBatch(): GraphBatch {
  const sources = [{ source: 'overview.yaml', sha256: 'c'.repeat(64), ingestedAt: '2026-04-01T00:00:00Z' }];
  const nodes: NodeInput[] = [{ id: SEED, kind: 'PackageVersion', props: { publishedAt: '2026-03-01T00:00:00Z' }, sources }];
  const edges: EdgeInput[] = [];
  const at = (day: number, minute: number) => new Date(Date.parse('2026-03-02T00:00:00Z') + day * 86_400_000 + minute * 60_000).toISOString().replace('.000Z', 'Z');
  ['left', 'right', 'mid'].forEach((p, k) => {
    for (let i = 0; i < 40; i++) {
      const id = `pkg:npm/ov-${p}@1.0.${i}`;
      nodes.push({ id, kind: 'PackageVersion', props: { publishedAt: at(k, i) }, sources });
      edges.push({ from: id, kind: 'DEPENDS_ON', to: SEED, since: at(k, i), sources });
    }
  });
  let cred = 0;
  OWNERS.forEach((owner, k) => {
    for (let i = 0; i < 200; i++) {
      const svc = `svc:${owner}/s${i}`;
      nodes.push({ id: svc, kind: 'Service', name: i === 7 ? HOSTILE_NAME : `${owner} service ${i}`, sources });
      edges.push({ from: svc, kind: 'DEPENDS_ON', to: SEED, since: at(k * 2, i * 3), sources });
      if (i % 2 === 0) {
        const c = `cred:${owner}/c${i}`;
        const ds = `ds:${cred % 2 ? 'lake' : 'warehouse'}/d${cred}`;
        nodes.push({ id: c, kind: 'Credential', name: `${owner} key ${i}`, props: { type: 'api-key' }, sources });
        nodes.push({ id: ds, kind: 'Dataset', name: `dataset ${cred}`, sources });
        edges.push({ from: svc, kind: 'HOLDS', to: c, sources });
        edges.push({ from: c, kind: 'GRANTS', to: ds, access: 'read', sources });
        edges.push({ from: ds, kind: 'BELONGS_TO', to: `org:ov-c${cred % 20}`, sources });
        cred++;
      }
    }
  });
  for (let i = 0; i < 20; i++) nodes.push({ id: `org:ov-c${i}`, kind: 'Customer', name: `Customer ${i}`, props: { notifyWithinHours: 72 }, sources });
  return { input: 'overview.yaml', nodes, edges };
}

interface Radius {
  affected: Array<{ id: string; kind: string; firstExposedAt: string | null }>;
}

async function radius(server: ExplorerServer): Promise<Radius> {
  const res = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query($s: [SeedInput!]) { blastRadius(seeds: $s) { affected { id kind firstExposedAt } } }', variables: { s: [{ id: SEED }] } }),
  });
  const body = (await res.json()) as { data: { blastRadius: Radius } };
  return body.data.blastRadius;
}

/** The API's answer by group, as the overview is specified: kind and owner (package for versions). */
function groupsFromAnswer(r: Radius): Map<string, Array<{ id: string; firstExposedAt: string | null }>> {
  const out = new Map<string, Array<{ id: string; firstExposedAt: string | null }>>();
  for (const a of r.affected) {
    if (a.kind === 'Customer') continue;
    const owner = a.kind === 'PackageVersion' ? a.id.slice(0, a.id.lastIndexOf('@')) : a.id.slice(a.id.indexOf(':') + 1).split('/')[0]!;
    const key = `grp:${a.kind}:${owner}`;
    out.set(key, [...(out.get(key) ?? []), a]);
  }
  return out;
}

interface PageWatch {
  dialogs: string[];
  errors: string[];
}

async function openPage(browser: Browser, url: string): Promise<{ page: Page; watch: PageWatch }> {
  const page = await browser.context.newPage();
  const watch: PageWatch = { dialogs: [], errors: [] };
  page.on('dialog', (d) => {
    watch.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => watch.errors.push(e.message));
  await page.goto(url);
  await page.evaluate(() => (window as any).blast.ready);
  await page.evaluate(() => (window as any).blast.walkFinished());
  return { page, watch };
}

const visible = (page: Page): Promise<string[]> => page.evaluate(() => (window as any).blast.visibleNodeIds());

describe('overview of a large walk in Chromium', () => {
  let server: ExplorerServer;
  let browser: Browser;
  let answer: Radius;
  let groups: Map<string, Array<{ id: string; firstExposedAt: string | null }>>;
  let customers: Radius['affected'];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildWebIfStale();
    server = await startExplorerServer({ batches: [radiusBatch()] });
    browser = await launchChromium();
    answer = await radius(server);
    groups = groupsFromAnswer(answer);
    customers = answer.affected.filter((a) => a.kind === 'Customer');
  }, SETUP_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('draws groups above the threshold: one per kind and owner, with the API’s counts; customers and the seed as themselves', async () => {
    expect(answer.affected.length).toBeGreaterThan(1500);
    const { page, watch } = await openPage(browser, `${server.origin}/?seed=${SEED}`);
    const overview = await page.evaluate(() => (window as any).blast.overview());
    expect(overview).not.toBeNull();
    const counts = new Map(overview.groups.map((g: { id: string; count: number }) => [g.id, g.count]));
    expect(counts).toEqual(new Map([...groups].map(([id, list]) => [id, list.length])));
    expect(await visible(page)).toEqual([...groups.keys(), SEED, ...customers.map((c) => c.id)].sort());
    // The scrubber counts nodes, not groups.
    expect(await page.textContent('#scrub-label')).toContain(`${answer.affected.length + 1} of ${answer.affected.length + 1} nodes`);
    await shot(page, 'overview-01-groups');
    expect(watch.errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('expands a group in place to exactly its members, keeps it in the link, and collapses it', async () => {
    const { page, watch } = await openPage(browser, `${server.origin}/?seed=${SEED}`);
    const before = await visible(page);
    const group = 'grp:Service:acme';
    await page.evaluate((id) => (window as any).blast.explorer.select(id), group);
    await expect.poll(() => page.textContent('#details-body')).toContain('Expand the group (200 nodes)');
    const groupPos = await page.evaluate((id) => (window as any).cy.getElementById(id).position(), group);
    await page.click('#group-toggle');
    await page.evaluate(() => (window as any).blast.afterRender());
    const after = await visible(page);
    const members = groups.get(group)!.map((m) => m.id);
    expect(after.filter((id) => !before.includes(id)).sort()).toEqual([...members].sort());
    expect(before.filter((id) => !after.includes(id))).toEqual([group]);
    // In place: the members sit where the group stood; nothing else moved.
    const placed = await page.evaluate((ids) => ids.map((id: string) => (window as any).cy.getElementById(id).position()), members);
    const cx = placed.reduce((s: number, p: { x: number }) => s + p.x, 0) / placed.length;
    expect(Math.abs(cx - groupPos.x)).toBeLessThan(2000);
    expect(decodeURIComponent(page.url())).toContain(`open=${group}`);
    await shot(page, 'overview-02-expanded');
    // The link reproduces the view.
    const { page: again } = await openPage(browser, page.url());
    expect(await visible(again)).toEqual(after);
    await again.close();
    // Collapse from a member's panel.
    await page.evaluate((id) => (window as any).blast.explorer.select(id), members[3]);
    await page.locator('#details-body button.collapse-group').click();
    await page.evaluate(() => (window as any).blast.afterRender());
    // The selected member stays drawn as itself (its evidence path is pinned) until the selection goes.
    await expect.poll(() => visible(page)).toEqual([...before, members[3]!].sort());
    expect(decodeURIComponent(page.url())).not.toContain('open=');
    await page.evaluate(() => (window as any).blast.explorer.select(null));
    expect(await visible(page)).toEqual(before);
    expect(watch.errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('the scrubber lights a group up when its first member is reached', async () => {
    const { page } = await openPage(browser, `${server.origin}/?seed=${SEED}`);
    const upTo = (iso: string) => {
      const lit = [...groups].filter(([, list]) => list.some((m) => m.firstExposedAt !== null && m.firstExposedAt <= iso)).map(([id]) => id);
      return [SEED, ...lit, ...customers.filter((c) => c.firstExposedAt !== null && c.firstExposedAt <= iso).map((c) => c.id)].sort();
    };
    const seen = new Set<number>();
    for (const iso of ['2026-03-01T12:00:00Z', '2026-03-02T00:30:00Z', '2026-03-03T05:00:00Z', '2026-03-04T02:00:00Z', '2026-03-06T01:00:00Z', '2026-03-09T00:00:00Z']) {
      await page.evaluate((t) => (window as any).blast.scrubTo(t), iso);
      const shown = await visible(page);
      expect(shown, iso).toEqual(upTo(iso));
      seen.add(shown.length);
    }
    // The instants above cut through the groups: several distinct pictures, not all or nothing.
    expect(seen.size).toBeGreaterThanOrEqual(4);
    await page.evaluate(() => (window as any).blast.scrubTo('2026-03-04T02:00:00Z'));
    await shot(page, 'overview-03-scrubbed');
    await page.close();
  }, TEST_MS);

  it('draws the selected node’s evidence path node by node inside the overview', async () => {
    const { page } = await openPage(browser, `${server.origin}/?seed=${SEED}`);
    const target = 'ds:lake/d101';
    await page.evaluate((id) => (window as any).blast.explorer.select(id), target);
    const shown = await visible(page);
    expect(shown).toContain(target);
    await page.click('#why-button');
    const hl = await page.evaluate(() => (window as any).blast.highlighted());
    // seed -> service -> credential -> dataset, every node drawn as itself and highlighted.
    expect(hl.nodes).toContain(SEED);
    expect(hl.nodes).toContain(target);
    expect(hl.nodes.filter((id: string) => id.startsWith('svc:') || id.startsWith('cred:'))).toHaveLength(2);
    expect(hl.nodes.some((id: string) => id.startsWith('grp:'))).toBe(false);
    await page.close();
  }, TEST_MS);

  it('keeps hostile owners and names as text in group labels and panels: nothing injected runs', async () => {
    const { page, watch } = await openPage(browser, `${server.origin}/?seed=${SEED}`);
    const group = `grp:Service:${HOSTILE_OWNER}`;
    const label = await page.evaluate((id) => (window as any).cy.getElementById(id).data('label'), group);
    // Labels are cut to 28 characters (the full text is in the tooltip and the panel).
    expect(label).toBe(`${Array.from(`services of ${HOSTILE_OWNER}`).slice(0, 27).join('')}… (200)`);
    await page.evaluate((id) => (window as any).blast.explorer.select(id), group);
    await expect.poll(() => page.textContent('#details-body')).toContain(`services of ${HOSTILE_OWNER}`);
    expect(await page.textContent('#details-body')).toContain(HOSTILE_NAME);
    expect(await page.locator('#details-body b, #details-body i, #details-body img').count()).toBe(0);
    await page.evaluate((id) => (window as any).cy.getElementById(id).emit('mouseover'), group);
    expect(await page.textContent('#tooltip')).toContain(HOSTILE_OWNER);
    await page.evaluate((id) => (window as any).blast.toggleGroup(id, true), group);
    await page.evaluate((id) => (window as any).cy.getElementById(id).emit('mouseover'), `svc:${HOSTILE_OWNER}/s7`);
    expect(await page.textContent('#tooltip')).toContain(HOSTILE_NAME);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(watch.dialogs).toEqual([]);
    expect(watch.errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('offers the time-lane layout, kept in the link; `ov=off` draws every node', async () => {
    const { page } = await openPage(browser, `${server.origin}/?seed=${SEED}&layout=lanes`);
    expect(await page.inputValue('#layout-select')).toBe('lanes');
    const pos = await page.evaluate(() => {
      const cy = (window as any).cy;
      return { svc: cy.nodes('[kind = "Service"]').map((n: any) => n.position().y), cred: cy.nodes('[kind = "Credential"]').map((n: any) => n.position().y) };
    });
    expect(Math.max(...pos.svc)).toBeLessThan(Math.min(...pos.cred));
    await shot(page, 'overview-04-time-lanes');
    await page.selectOption('#overview-select', 'off');
    await page.evaluate(() => (window as any).blast.walkFinished());
    await expect.poll(async () => (await visible(page)).length).toBe(answer.affected.length + 1);
    expect(decodeURIComponent(page.url())).toContain('ov=off');
    await page.close();
  }, TEST_MS);
});
