/**
 * The web explorer in real headless Chromium (Debian's, driven by playwright-core) against a real
 * server: createApp over an embedded store holding the reference scenario, on an ephemeral port,
 * serving the Vite build of web/ (built here when missing or stale). Screenshots go to
 * test-artifacts/web/. If Chromium cannot start, every test fails with the reason.
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWebIfStale, launchChromium, startExplorerServer, type Browser, type ExplorerServer } from '../../scripts/bench/browser-bench.js';
import type { GraphBatch } from '../../server/model/types.js';
import { readTree, unzipToDir } from '../support/unzip.js';
import { ARTIFACTS, shot } from '../support/shot.js';

const TRIVY = 'pkg:githubactions/aquasecurity/trivy-action@0.33.1';
const LITELLM = 'pkg:pypi/litellm@1.82.8';
const HOSTILE = '<img src=x onerror="window.__xss=1;alert(1)">';
/** Real Chromium on a shared machine: generous, explicit timeouts (a hang still fails). */
const TEST_MS = 180_000;
const SETUP_MS = 300_000;

/** A dataset with a hostile name and props, written by platform-ci (reached at 19:02 from Trivy). */
function hostileBatch(): GraphBatch {
  const sources = [{ source: 'hostile.yaml', sha256: 'b'.repeat(64), ingestedAt: '2026-04-01T00:00:00Z' }];
  return {
    input: 'hostile.yaml',
    nodes: [{ id: 'ds:test/xss', kind: 'Dataset', name: HOSTILE, props: { classification: '<script>window.__xss=2</script>', note: HOSTILE }, sources }],
    edges: [{ from: 'svc:labelwise/platform-ci', kind: 'WRITES', to: 'ds:test/xss', sources }],
  };
}

interface Hop {
  from: string;
  edge: string;
  to: string;
  arrival: string | null;
}
interface Radius {
  seeds: Array<{ id: string; at: string | null }>;
  affected: Array<{ id: string; kind: string; firstExposedAt: string | null; hops: number; path: Hop[] }>;
  customers: Array<{ id: string; reasons: Array<{ via: string; path: Hop[] }> }>;
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

async function radius(server: ExplorerServer, seeds: string[], token?: string): Promise<Radius> {
  const hop = 'from edge to arrival';
  const data = await gql<{ blastRadius: Radius }>(
    server,
    `query($s: [SeedInput!]) { blastRadius(seeds: $s) { seeds { id at } affected { id kind firstExposedAt hops path { ${hop} } } customers { id reasons { via path { ${hop} } } } } }`,
    { s: seeds.map((id) => ({ id })) },
    token,
  );
  return data.blastRadius;
}

const edgeIds = (...paths: Hop[][]) => [...new Set(paths.flat().map((h) => `${h.from}|${h.edge}|${h.to}`))].sort();
const nodeIds = (...paths: Hop[][]) => [...new Set(paths.flat().flatMap((h) => [h.from, h.to]))].sort();

/** What the page must never do: run injected script, break its CSP, throw. */
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
  return { page, watch };
}

/** Records every text #export-status shows from now on (progress is transient; a MutationObserver sees each). */
async function recordExportStatus(page: Page): Promise<() => Promise<string[]>> {
  await page.evaluate(() => {
    const el = document.getElementById('export-status')!;
    const seen: string[] = ((window as any).__exportStatus = []);
    new MutationObserver(() => seen.push(el.textContent ?? '')).observe(el, { childList: true, characterData: true, subtree: true });
  });
  return () => page.evaluate(() => (window as any).__exportStatus as string[]);
}

/** Clicks "Export report", waits for the download, and returns the saved archive's files. */
async function exportReport(page: Page): Promise<{ fileName: string; files: Map<string, Buffer> }> {
  const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-report')]);
  const archive = readFileSync((await dl.path())!);
  expect(archive.subarray(0, 4).toString('hex')).toBe('504b0304');
  const dir = unzipToDir(archive);
  try {
    return { fileName: dl.suggestedFilename(), files: readTree(dir) };
  } finally {
    rmSync(dirname(dir), { recursive: true, force: true });
  }
}

async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as any).__csp as string[]);
}

describe('web explorer in Chromium', () => {
  let server: ExplorerServer;
  let browser: Browser;
  let trivy: Radius;

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildWebIfStale();
    server = await startExplorerServer({ batches: [hostileBatch()] });
    browser = await launchChromium();
    // Collect CSP violations and flag injected script (test instrumentation, not part of the page).
    await browser.context.addInitScript(() => {
      (window as any).__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => (window as any).__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    trivy = await radius(server, [TRIVY]);
  }, SETUP_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the page with a strict Content-Security-Policy and no inline script', async () => {
    const res = await fetch(`${server.origin}/`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await res.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/i);
    expect(html).not.toMatch(/\sstyle=/i);
  }, TEST_MS);

  it('searches, picks a seed, walks hop by hop to the end: exactly the API’s blast radius', async () => {
    const { page, watch } = await openPage(browser, `${server.origin}/`);
    await expect.poll(() => page.textContent('#overlay')).toContain('Where does it start?');
    await shot(page, '01-empty');
    await page.fill('#search-input', 'trivy-action 0.33');
    const option = page.locator(`#search-results li[data-id="${TRIVY}"]`);
    await option.waitFor({ timeout: 10_000 });
    await option.click();
    await expect.poll(() => page.textContent('#seed-list')).toContain('trivy-action');
    await page.evaluate(() => (window as any).blast.setWalkDuration(2500));
    await page.click('#walk-button');
    // Watch it grow: the visible count never shrinks and starts below the total.
    await page.waitForFunction(() => (window as any).blast.step().count > 0);
    const counts: number[] = [];
    for (let i = 0; i < 40; i++) {
      const s = await page.evaluate(() => ({ n: (window as any).blast.visibleNodeIds().length, step: (window as any).blast.step() }));
      counts.push(s.n);
      if (s.step.index === s.step.count - 1) break;
      if (i === 3) await shot(page, '02-walk-in-progress');
      await page.waitForTimeout(100);
    }
    await page.evaluate(() => (window as any).blast.walkFinished());
    const shown: string[] = await page.evaluate(() => (window as any).blast.visibleNodeIds());
    const expected = [...trivy.seeds.map((s) => s.id), ...trivy.affected.map((a) => a.id)].sort();
    expect(shown).toEqual(expected);
    expect(shown).toContain('ds:test/xss');
    expect(counts[0]!).toBeLessThan(expected.length);
    for (let i = 1; i < counts.length; i++) expect(counts[i]!).toBeGreaterThanOrEqual(counts[i - 1]!);
    expect(decodeURIComponent(page.url())).toContain(`seed=${TRIVY}`);
    await page.evaluate(() => (window as any).cy.fit(undefined, 30));
    await shot(page, '03-walk-end');
    expect(watch.dialogs).toEqual([]);
    expect(watch.errors).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('opens a shared link (/?seed=ID) and the scrubber shows exactly what was reached by any instant', async () => {
    const { page, watch } = await openPage(browser, `${server.origin}/?seed=${TRIVY}&t=2026-03-24T11:03:00Z`);
    await page.evaluate(() => (window as any).blast.walkFinished());
    const upTo = (iso: string) =>
      [...trivy.seeds.map((s) => s.id), ...trivy.affected.filter((a) => a.firstExposedAt === null || a.firstExposedAt <= iso).map((a) => a.id)].sort();
    expect(await page.evaluate(() => (window as any).blast.visibleNodeIds())).toEqual(upTo('2026-03-24T11:03:00Z'));
    await shot(page, '04-scrubbed-2026-03-24T1103');
    for (const iso of ['2026-03-19T17:00:00Z', '2026-03-19T19:02:00Z', '2026-03-19T21:14:00Z', '2026-03-21T15:02:00Z', '2026-03-24T10:52:00Z', '2026-03-24T12:05:00Z', '2026-03-30T00:00:00Z']) {
      await page.evaluate((t) => (window as any).blast.scrubTo(t), iso);
      expect(await page.evaluate(() => (window as any).blast.visibleNodeIds()), iso).toEqual(upTo(iso));
    }
    // Drive the real slider from the keyboard: each step shows the nodes up to its (instant, hop).
    await page.focus('#scrubber');
    await page.keyboard.press('Home');
    for (let i = 0; i < 6; i++) await page.keyboard.press('ArrowRight');
    const step = await page.evaluate(() => (window as any).blast.step());
    expect(step.index).toBe(6);
    const atStep = [
      ...trivy.seeds.map((s) => s.id),
      ...trivy.affected.filter((a) => a.firstExposedAt === null || a.firstExposedAt < step.t || (a.firstExposedAt === step.t && a.hops <= step.hop)).map((a) => a.id),
    ].sort();
    expect(await page.evaluate(() => (window as any).blast.visibleNodeIds())).toEqual(atStep);
    expect(await page.textContent('#scrub-label')).toContain(`hop ${step.hop}`);
    // Play, pause.
    await page.click('#play-button');
    expect(await page.getAttribute('#play-button', 'aria-pressed')).toBe('true');
    await page.click('#play-button');
    expect(await page.getAttribute('#play-button', 'aria-pressed')).toBe('false');
    expect(watch.errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('clicking a customer highlights exactly the API’s evidence paths; “Why?” lists each hop', async () => {
    const { page, watch } = await openPage(browser, `${server.origin}/?seed=${TRIVY}&t=2030-01-01T00:00:00Z`);
    await page.evaluate(() => (window as any).blast.walkFinished());
    const openai = trivy.customers.find((c) => c.id === 'org:openai')!;
    // Customers are listed most urgent first (earliest first exposure + notifyWithinHours).
    const order = await page.$$eval('#customer-list li[data-id]', (lis) => lis.map((li) => li.getAttribute('data-id')));
    expect([...order].sort()).toEqual(trivy.customers.map((c) => c.id).sort());
    // Klarheit (EU, 48 h) and Meta (48 h) were both exposed at 19:02 on 03-19: due first.
    expect(order.slice(0, 2).sort()).toEqual(['org:klarheit-ai', 'org:meta']);
    expect(order.at(-1)).toBe('org:brightpath-learning');
    await page.click('#customer-list li[data-id="org:openai"] button');
    const hl = await page.evaluate(() => (window as any).blast.highlighted());
    expect(hl.edges).toEqual(edgeIds(...openai.reasons.map((r) => r.path)));
    expect(hl.nodes).toEqual(nodeIds(...openai.reasons.map((r) => r.path)));
    expect(decodeURIComponent(page.url())).toContain('focus=org:openai');
    await shot(page, '05-customer-focus-openai');

    const deepmind = trivy.affected.find((a) => a.id === 'org:google-deepmind')!;
    await page.evaluate(() => (window as any).blast.explorer.select('org:google-deepmind'));
    await page.click('#why-button');
    const why = await page.evaluate(() => (window as any).blast.highlighted());
    expect(why.edges).toEqual(edgeIds(deepmind.path));
    const items = page.locator('#why-list li');
    expect(await items.count()).toBe(deepmind.path.length);
    const last = deepmind.path[deepmind.path.length - 1]!;
    expect(await items.last().textContent()).toContain(last.edge);
    expect(await items.last().textContent()).toContain('2026-03-24 11:03 UTC');
    expect(await items.last().textContent()).toContain('seed/reference/scenario.yaml');
    await shot(page, '06-why-deepmind');
    expect(watch.errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('shows exposure time on hover', async () => {
    const { page } = await openPage(browser, `${server.origin}/?seed=${TRIVY}&t=2030-01-01T00:00:00Z`);
    await page.evaluate(() => (window as any).blast.walkFinished());
    const at = await page.evaluate(() => {
      const cy = (window as any).cy;
      cy.zoom({ level: 1.5, position: cy.getElementById('svc:labelwise/llm-gateway').position() });
      cy.center(cy.getElementById('svc:labelwise/llm-gateway'));
      const p = cy.getElementById('svc:labelwise/llm-gateway').renderedPosition();
      const box = cy.container().getBoundingClientRect();
      return { x: box.left + p.x, y: box.top + p.y };
    });
    await page.mouse.move(at.x, at.y);
    await expect.poll(() => page.isVisible('#tooltip')).toBe(true);
    const text = await page.textContent('#tooltip');
    expect(text).toContain('LLM gateway');
    expect(text).toContain('First exposed 2026-03-24 11:03 UTC');
    await shot(page, '07-hover');
    await page.close();
  }, TEST_MS);

  it('renders ingested names and props as text only: nothing injected runs', async () => {
    const { page, watch } = await openPage(browser, `${server.origin}/?seed=${TRIVY}&t=2030-01-01T00:00:00Z&sel=ds:test/xss`);
    await page.evaluate(() => (window as any).blast.walkFinished());
    await expect.poll(() => page.textContent('#details-body')).toContain('<script>window.__xss=2</script>');
    expect(await page.textContent('#details-body')).toContain(HOSTILE);
    await page.evaluate(() => {
      const d = document.querySelector('#reached') as HTMLDetailsElement;
      d.open = true;
    });
    expect(await page.textContent('#reached-list')).toContain(HOSTILE);
    await page.evaluate(() => (window as any).cy.getElementById('ds:test/xss').emit('mouseover'));
    expect(await page.textContent('#tooltip')).toContain(HOSTILE);
    await page.fill('#search-input', 'onerror');
    await page.waitForTimeout(800);
    expect(await page.evaluate(() => document.querySelectorAll('img[src="x"], script:not([src])').length)).toBe(0);
    expect(await page.evaluate(() => (window as any).__xss)).toBeUndefined();
    expect(watch.dialogs).toEqual([]);
    await shot(page, '08-hostile-name-as-text');
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('filters by kind, groups package versions, exports PNG, JSON and CSV of the view', async () => {
    const { page, watch } = await openPage(browser, `${server.origin}/?seed=${LITELLM}&t=2030-01-01T00:00:00Z`);
    await page.evaluate(() => (window as any).blast.walkFinished());
    const all: string[] = await page.evaluate(() => (window as any).blast.visibleNodeIds());
    const api = await radius(server, [LITELLM]);
    expect(all).toEqual([...api.seeds.map((s) => s.id), ...api.affected.map((a) => a.id)].sort());
    await page.uncheck('#kind-Credential');
    const noCreds: string[] = await page.evaluate(() => (window as any).blast.visibleNodeIds());
    expect(noCreds.some((id) => id.startsWith('cred:'))).toBe(false);
    expect(noCreds.length).toBe(all.filter((id) => !id.startsWith('cred:')).length);
    expect(decodeURIComponent(page.url())).toContain('hide=Credential');
    await page.check('#kind-Credential');
    // From the Trivy action the publish rule reaches litellm and two of its versions: a group.
    await page.goto(`${server.origin}/?seed=${TRIVY}&t=2030-01-01T00:00:00Z`);
    await page.evaluate(() => (window as any).blast.walkFinished());
    await page.selectOption('#versions-select', 'group');
    await page.evaluate(() => (window as any).blast.walkFinished());
    expect(await page.evaluate(() => (window as any).cy.getElementById('group:pkg:pypi/litellm').isParent())).toBe(true);
    await shot(page, '09-versions-grouped');
    await page.selectOption('#versions-select', 'collapse');
    await page.evaluate(() => (window as any).blast.walkFinished());
    expect(await page.evaluate(() => (window as any).cy.getElementById('pkg:pypi/litellm@1.82.8').empty())).toBe(true);
    await page.selectOption('#versions-select', 'show');
    await page.goto(`${server.origin}/?seed=${LITELLM}&t=2030-01-01T00:00:00Z`);
    await page.evaluate(() => (window as any).blast.walkFinished());

    const [json] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
    const view = JSON.parse(readFileSync((await json.path())!, 'utf8'));
    expect(view.format).toBe('blast-radius-view');
    expect(view.nodes.map((n: { id: string }) => n.id).sort()).toEqual(all);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
    const lines = readFileSync((await csv.path())!, 'utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,kind,name,seed,firstExposedAt,hops,confidence,path');
    expect(lines).toHaveLength(all.length + 1);
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#export-png')]);
    const bytes = readFileSync((await png.path())!);
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    expect(watch.errors).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('“Export report” downloads the walk’s export as a ZIP with the PDF report, and shows errors', async () => {
    const { page, watch } = await openPage(browser, `${server.origin}/?seed=${TRIVY}&t=2030-01-01T00:00:00Z`);
    await page.evaluate(() => (window as any).blast.walkFinished());
    const statuses = await recordExportStatus(page);
    const { fileName, files } = await exportReport(page);
    expect(fileName).toMatch(/^blast-radius-pkg_githubactions_aquasecurity_trivy-action_0\.33\.1-\d{8}T\d{6}(\.\d+)?Z\.zip$/);
    expect(files.get('report.pdf')!.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const manifest = JSON.parse(files.get('manifest.json')!.toString('utf8'));
    expect(manifest.parameters.seeds.map((s: { id: string }) => s.id)).toEqual([TRIVY]);
    const customers = JSON.parse(files.get('blast-radius.json')!.toString('utf8')).customers.map((c: { id: string }) => c.id);
    expect(customers).toEqual(trivy.customers.map((c) => c.id));
    await expect.poll(() => page.textContent('#export-status')).toMatch(/^Saved blast-radius-.*\.zip \((\d+ KB|\d+\.\d MB)\): \d+ nodes reached, \d+ customers\.$/);
    expect((await statuses())[0]).toBe('Preparing export…');
    expect(await page.isDisabled('#export-report')).toBe(false);
    await shot(page, '10a-export-report');

    // A seed the graph does not hold: the server's NOT_FOUND, shown under the button.
    await page.goto(`${server.origin}/?seed=pkg:pypi/no-such-package@1.0.0`);
    await page.evaluate(() => (window as any).blast.ready);
    await page.click('#export-report');
    await expect.poll(() => page.textContent('#export-status')).toContain('Not found: seeds: no seed is in the graph: pkg:pypi/no-such-package@1.0.0');
    expect(await page.getAttribute('#export-status', 'class')).toContain('error');
    expect(watch.errors).toEqual([]);
    expect(await cspViolations(page)).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('expands a neighbourhood, and draws a neighbourhood view with a force layout', async () => {
    const { page, watch } = await openPage(browser, `${server.origin}/?seed=${LITELLM}&t=2030-01-01T00:00:00Z&sel=svc:labelwise/llm-gateway`);
    await page.evaluate(() => (window as any).blast.walkFinished());
    const before: number = await page.evaluate(() => (window as any).cy.nodes().length);
    await page.click('#details-body button:has-text("Expand neighbourhood")');
    await expect.poll(() => page.evaluate(() => (window as any).cy.nodes('.context').length)).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as any).cy.nodes().length)).toBeGreaterThan(before);
    await page.click('#details-body button:has-text("Neighbourhood view")');
    await page.evaluate(() => (window as any).blast.walkFinished());
    const hood = await gql<{ neighborhood: { nodes: Array<{ id: string }> } }>(server, 'query { neighborhood(id: "svc:labelwise/llm-gateway", hops: 1) { nodes { id } } }');
    await expect.poll(() => page.evaluate(() => (window as any).cy.nodes().length)).toBe(hood.neighborhood.nodes.length);
    expect(decodeURIComponent(page.url())).toContain('view=neighborhood');
    await shot(page, '10-neighbourhood');
    await page.click('#back-to-walk');
    await page.evaluate(() => (window as any).blast.walkFinished());
    expect((await page.evaluate(() => (window as any).blast.visibleNodeIds())).length).toBeGreaterThan(10);
    expect(watch.errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('follows the colour scheme (dark)', async () => {
    const page = await browser.context.newPage();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${server.origin}/?seed=${TRIVY}&t=2030-01-01T00:00:00Z&focus=org:meta`);
    await page.evaluate(() => (window as any).blast.walkFinished());
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(13, 17, 23)');
    await shot(page, '11-dark-focus-meta');
    await page.close();
  }, TEST_MS);

  it('labels every control and reaches them from the keyboard', async () => {
    const { page } = await openPage(browser, `${server.origin}/?seed=${TRIVY}&t=2030-01-01T00:00:00Z`);
    await page.evaluate(() => (window as any).blast.walkFinished());
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, select')]
        .filter((el) => !(el as HTMLElement).closest('[hidden]') && !(el as HTMLInputElement).hidden)
        .filter((el) => {
          const e = el as HTMLInputElement;
          const label = e.labels?.length ? [...e.labels].map((l) => l.textContent ?? '').join('') : '';
          return !(e.getAttribute('aria-label') || label.trim() || (el.tagName === 'BUTTON' && (el.textContent ?? '').trim()));
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search-input');
    await page.focus('#graph');
    const z0: number = await page.evaluate(() => (window as any).cy.zoom());
    await page.keyboard.press('+');
    expect(await page.evaluate(() => (window as any).cy.zoom())).toBeGreaterThan(z0);
    await page.close();
  }, TEST_MS);
});

describe('web explorer with bearer tokens', () => {
  let server: ExplorerServer;
  let browser: Browser;

  beforeAll(async () => {
    await buildWebIfStale();
    server = await startExplorerServer({ tokens: 'analyst-token:analyst,viewer-token:viewer' });
    browser = await launchChromium();
  }, SETUP_MS);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for a token, keeps it in localStorage, and an analyst marks a node compromised: the walk recomputes', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/?seed=${TRIVY}&t=2030-01-01T00:00:00Z`);
    await page.evaluate(() => (window as any).blast.ready);
    await expect.poll(() => page.textContent('#overlay')).toContain('needs an access token');
    await shot(page, '12-token-needed');
    await page.fill('#token-input', 'viewer-token');
    await page.click('#token-save');
    await page.evaluate(() => (window as any).blast.walkFinished());
    await expect.poll(() => page.evaluate(() => (window as any).blast.visibleNodeIds().length)).toBeGreaterThan(10);
    expect(await page.evaluate(() => localStorage.getItem('blast.token'))).toBe('viewer-token');
    // A viewer cannot mark.
    await page.evaluate(() => (window as any).blast.explorer.select('svc:labelwise/web-ci'));
    await expect.poll(() => page.isDisabled('#mark-button')).toBe(true);

    // The token panel closed once the token worked; open it again to switch tokens.
    expect(await page.evaluate(() => (document.getElementById('auth') as HTMLDetailsElement).open)).toBe(false);
    await page.click('#auth summary');
    await page.fill('#token-input', 'analyst-token');
    await page.click('#token-save');
    await expect.poll(() => page.textContent('#auth-info')).toContain('analyst');
    await page.evaluate(() => (window as any).blast.explorer.select('svc:labelwise/web-ci'));
    await expect.poll(() => page.isDisabled('#mark-button')).toBe(false);
    await page.fill('#mark-at', '2026-03-19T22:30');
    await page.click('#mark-button');
    await expect.poll(() => page.evaluate(() => (window as any).blast.state().seeds)).toEqual([TRIVY, 'svc:labelwise/web-ci']);
    await page.evaluate(() => (window as any).blast.setWalkDuration(300));
    await page.evaluate(() => (window as any).blast.walkFinished());
    const api = await radius(server, [TRIVY, 'svc:labelwise/web-ci'], 'analyst-token');
    const shown: string[] = await page.evaluate(() => (window as any).blast.visibleNodeIds());
    expect(shown).toEqual([...api.seeds.map((s) => s.id), ...api.affected.map((a) => a.id)].sort());
    expect(shown).toContain('cred:labelwise/github-pat-web-deploy');
    const marked = await gql<{ node: { compromised: boolean; compromisedAt: string } }>(server, 'query { node(id: "svc:labelwise/web-ci") { compromised compromisedAt } }', {}, 'analyst-token');
    expect(marked.node).toEqual({ compromised: true, compromisedAt: '2026-03-19T22:30:00Z' });
    await shot(page, '13-marked-and-rewalked');
    await page.close();
  }, TEST_MS);

  it('exports a report with the saved token (the download needs it too)', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${server.origin}/?seed=${LITELLM}&t=2030-01-01T00:00:00Z`);
    await page.evaluate(() => localStorage.setItem('blast.token', 'viewer-token'));
    await page.reload();
    await page.evaluate(() => (window as any).blast.walkFinished());
    const { files } = await exportReport(page);
    expect([...files.keys()]).toContain('report.pdf');
    expect(JSON.parse(files.get('manifest.json')!.toString('utf8')).parameters.seeds.map((s: { id: string }) => s.id)).toEqual([LITELLM]);
    // Without a token the server refuses, and the page says why.
    await page.evaluate(() => localStorage.removeItem('blast.token'));
    await page.reload();
    await page.evaluate(() => (window as any).blast.ready);
    await page.click('#export-report');
    await expect.poll(() => page.textContent('#export-status')).toContain('This server needs an access token');
    await page.close();
  }, TEST_MS);
});
