/**
 * Web explorer benchmark: in real headless Chromium (Debian's, driven by playwright-core), the time
 * from navigation to a drawn blast radius (and from the data's arrival to the first view), frames per
 * second while panning it (requestAnimationFrame sampling), once as the API returns it (the evidence
 * tree) and once with extra edges added among the drawn nodes; for an overview (groups), the time to
 * expand the group closest to 2,000 members. Targets: first view <= 2 s after the data, >= 30 fps,
 * expand <= 1 s.
 *
 * Also exports the helpers the browser tests share: build the explorer with Vite when web/dist is
 * missing or stale, start a real server (createApp over an embedded store in a temp dir), and launch
 * Chromium with a fresh profile, failing with the reason when it cannot start.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { createApp } from '../../server/api/create-app.js';
import { listen } from '../../server/api/listen.js';
import { prepareInput } from '../../server/ingest/ingest-file.js';
import type { GraphBatch } from '../../server/model/types.js';
import type { GraphStore } from '../../server/store/graph-store.js';
import { openStore } from '../../server/store/open-store.js';
import { planSynthetic } from '../../seed/synthetic/generate.js';

/** The repository root (this file is scripts/bench/browser-bench.ts, or its compiled copy in dist/). */
export function repoRoot(): string {
  let dir = fileURLToPath(new URL('.', import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'web', 'index.html'))) return dir;
    const parent = join(dir, '..');
    if (parent === dir || dir === '/') throw new Error('cannot find the repository root (package.json next to web/index.html)');
    dir = parent;
  }
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  let newest = s.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/**
 * Builds web/ into web/dist with Vite's JS API unless web/dist/index.html is newer than every source
 * (web/ and vite.config.ts).
 * @returns true when it built
 */
export async function buildWebIfStale(root = repoRoot()): Promise<boolean> {
  const built = join(root, 'web', 'dist', 'index.html');
  const sources = Math.max(newestMtime(join(root, 'web')), newestMtime(join(root, 'vite.config.ts')));
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return false;
  const { build } = await import('vite');
  await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  return true;
}

export interface ExplorerServer {
  origin: string;
  store: GraphStore;
  close(): Promise<void>;
}

export interface ServerOptions {
  /**
   * Ingest seed/reference/scenario.yaml.
   * @default true
   */
  scenario?: boolean;
  /** More batches to write (a synthetic graph, a test's own nodes). */
  batches?: Iterable<GraphBatch>;
  /** BLAST_TOKENS text, e.g. `a:analyst,v:viewer`. @default null (no token needed) */
  tokens?: string | null;
  /** Log unexpected server errors. @default false */
  verbose?: boolean;
}

/** A real server on an ephemeral 127.0.0.1 port over a fresh embedded store, serving web/dist. */
export async function startExplorerServer(opts: ServerOptions = {}): Promise<ExplorerServer> {
  const root = repoRoot();
  const dir = mkdtempSync(join(tmpdir(), 'blast-web-'));
  const store = await openStore({ backend: 'embedded', dataDir: dir });
  try {
    if (opts.scenario ?? true) {
      // Named relative to the repository, as `blast ingest seed/reference/scenario.yaml` names it.
      const text = readFileSync(join(root, 'seed', 'reference', 'scenario.yaml'));
      await store.write(prepareInput('seed/reference/scenario.yaml', text, { ingestedAt: '2026-04-01T00:00:00Z' }).batch);
    }
    for (const batch of opts.batches ?? []) await store.write(batch);
  } catch (err) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const app = createApp({
    store,
    tokens: opts.tokens ?? null,
    webRoot: join(root, 'web', 'dist'),
    log: { error: (m, e) => (opts.verbose ? console.error(m, e) : undefined) },
  });
  const listening = await listen(app, { host: '127.0.0.1', port: 0, shutdownGraceMs: 500 });
  return {
    origin: listening.origin,
    store,
    async close() {
      await listening.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Add this to get WebGL without a GPU (SwiftShader, software): Chromium refuses it otherwise. */
export const SOFTWARE_WEBGL_ARG = '--enable-unsafe-swiftshader';

/** The flags this machine's Chromium needs (no sandbox as root, no network chatter, no GPU). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export interface Browser {
  context: import('playwright-core').BrowserContext;
  close(): Promise<void>;
}

/**
 * Debian's Chromium with a fresh profile. Throws (never skips) with the reason when it cannot start.
 * @param viewport @default { width: 1440, height: 900 }
 */
export async function launchChromium(viewport = { width: 1440, height: 900 }, colorScheme: 'light' | 'dark' = 'light', extraArgs: readonly string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  }
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'blast-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, ...extraArgs],
      headless: true,
      viewport,
      colorScheme,
      timeout: 60_000,
    });
    return {
      context,
      async close() {
        await context.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    rmSync(profile, { recursive: true, force: true });
    throw new Error(`Chromium (${CHROMIUM_PATH}) failed to start: ${(err as Error).message}`);
  }
}

export interface BrowserBenchResult {
  /** Synthetic graph size asked for (nodes). */
  graphNodes: number;
  /** Nodes and edges drawn. */
  nodes: number;
  edges: number;
  renderer: string;
  /** Navigation start to the blastRadius answer parsed (ms). */
  dataMs: number;
  /** Navigation start to the graph drawn and a frame painted (ms). */
  drawnMs: number;
  /** Frames per second while a user drags the graph around (mouse events, Chromium input pipeline). */
  dragFps: number;
  /** Frames per second while a user zooms with the wheel. */
  wheelFps: number;
  /** Frames per second when every frame is a full redraw (programmatic panning, cy.panBy). */
  redrawFps: number;
  /** Drag fps again after adding edges among the drawn nodes up to `denseEdges`. */
  denseDragFps: number;
  denseEdges: number;
  /** Nodes in the radius (seeds included) and whether it was drawn as the overview (groups). */
  radiusNodes: number;
  overview: boolean;
  /** Data arrived to first view drawn (ms): the issue's "first useful view". */
  viewMs: number;
  /** Expanding the group closest to 2,000 members in place, to drawn (ms); null without an overview. */
  expandMs: number | null;
  expandMembers: number | null;
  /** 1-minute load average before and after (the machine is shared). */
  load: [number, number];
}

export interface BrowserBenchOptions {
  /**
   * Synthetic graph sizes (nodes), one row each. The generator's popular versions reach about 80%
   * of a graph: 1,300 gives a ~1,000-node radius, 6,500 a ~5,000-node one (the target).
   * @default [1300, 6500]
   */
  graphSizes?: number[];
  /**
   * Blast radius wanted (fraction of the graph): the seed is the popular version whose radius is
   * closest to it.
   * @default 0.8
   */
  reach?: number;
  /** Force a renderer (`canvas` or `webgl`); default: the explorer's own choice. */
  renderer?: 'canvas' | 'webgl';
  /**
   * Instead of `graphSizes` and `renderer`: one row per case and renderer, the graph ingested once per
   * case. `ov` is the explorer's `?ov=` (auto: groups above 1,500 nodes; off: every node). WebGL rows
   * run Chromium with software WebGL (SwiftShader), the only WebGL this machine has.
   * @example { cases: [{ graphNodes: 62500 }, { graphNodes: 6500, ov: 'off' }], renderers: ['canvas', 'webgl'] }
   */
  cases?: Array<{ graphNodes: number; ov?: 'auto' | 'on' | 'off' }>;
  renderers?: Array<'canvas' | 'webgl' | undefined>;
  /**
   * Length of each fps sample (ms).
   * @default 3000
   */
  sampleMs?: number;
  /**
   * Edges to reach for the dense sample.
   * @default 10000
   */
  denseEdges?: number;
  log?: (line: string) => void;
}

/**
 * Runs the benchmark once per size and prints a table.
 * @example (after `npm run build`) node -e "import('./dist/scripts/bench/browser-bench.js').then((m) => m.runBrowserBench())"
 */
export async function runBrowserBench(opts: BrowserBenchOptions = {}): Promise<BrowserBenchResult[]> {
  const log = opts.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const sampleMs = opts.sampleMs ?? 3000;
  if (await buildWebIfStale()) log('built web/dist');
  const rows: BrowserBenchResult[] = [];
  const cases = opts.cases ?? (opts.graphSizes ?? [1300, 6500]).map((graphNodes) => ({ graphNodes, ov: 'auto' as const }));
  const renderers = opts.renderers ?? [opts.renderer];
  for (const { graphNodes, ov } of cases) {
    const plan = planSynthetic({ nodes: graphNodes });
    log(`[${graphNodes}] ingesting a synthetic graph`);
    const server = await startExplorerServer({ scenario: false, batches: plan.batches() });
    try {
      const seed = await chooseSeed(server, plan.popularVersions.slice(0, 20), Math.round(graphNodes * (opts.reach ?? 0.8)));
      log(`[${graphNodes}] seed ${seed.id}: ${seed.reached} nodes reached`);
      for (const renderer of renderers) {
        const browser = await launchChromium(undefined, 'light', renderer === 'webgl' ? [SOFTWARE_WEBGL_ARG] : []);
        try {
          rows.push(await measure(browser, server, seed, { graphNodes, ov: ov ?? 'auto', renderer, sampleMs, denseEdges: opts.denseEdges ?? 10_000, log }));
        } finally {
          await browser.close();
        }
      }
    } finally {
      await server.close();
    }
  }
  printTable(rows, log);
  return rows;
}

interface MeasureOptions {
  graphNodes: number;
  ov: 'auto' | 'on' | 'off';
  renderer: 'canvas' | 'webgl' | undefined;
  sampleMs: number;
  denseEdges: number;
  log: (line: string) => void;
}

/** One row: open the walk as a link, wait until drawn, then pan, drag, zoom, expand a group. */
async function measure(browser: Browser, server: ExplorerServer, seed: { id: string; reached: number }, o: MeasureOptions): Promise<BrowserBenchResult> {
  const { graphNodes, log, sampleMs } = o;
  const loadBefore = loadavg()[0]!;
  const page = await browser.context.newPage();
  // A far-future instant shows the whole radius at once (no walk animation), as a shared link does.
  const url = `${server.origin}/?seed=${encodeURIComponent(seed.id)}&t=9999-12-31T23:59:59Z${o.ov !== 'auto' ? `&ov=${o.ov}` : ''}${o.renderer ? `&renderer=${o.renderer}` : ''}`;
  await page.goto(url);
  await page.waitForFunction(() => Boolean((window as any).blast?.metrics().drawnAt), undefined, { timeout: 600_000, polling: 100 });
  const m = await page.evaluate(() => (window as any).blast.metrics() as { dataAt: number; drawnAt: number; nodes: number; edges: number; phases: Record<string, number> });
  log(`[${graphNodes}] drawing phases (ms): ${JSON.stringify(m.phases)}`);
  const renderer = await page.evaluate(() => (window as any).blast.renderer() as string);
  const overview = await page.evaluate(() => (window as any).blast.overview() as { groups: Array<{ id: string; count: number; drawn: boolean }> } | null);
  const redrawFps = await page.evaluate(programmaticPan, sampleMs);
  const dragFps = await drag(page, sampleMs);
  const wheelFps = await wheel(page, sampleMs);
  let expandMs: number | null = null;
  let expandMembers: number | null = null;
  const drawnGroups = overview?.groups.filter((g) => g.drawn) ?? [];
  if (drawnGroups.length) {
    // The drawn group closest to 2,000 members (a kind group counts: opening it is an expand too).
    const g = [...drawnGroups].sort((a, b) => Math.abs(a.count - 2000) - Math.abs(b.count - 2000))[0]!;
    expandMembers = g.count;
    expandMs = Math.round(
      await page.evaluate(async (id) => {
        const t0 = performance.now();
        await (window as any).blast.toggleGroup(id, true);
        return performance.now() - t0;
      }, g.id),
    );
    await page.evaluate((id) => (window as any).blast.toggleGroup(id, false), g.id);
  }
  // The dense sample (edges added among drawn nodes) is optional: 0 skips it. A crashed page (out of
  // memory) is reported as -1 rather than losing the row.
  let denseEdges = m.edges;
  let denseDragFps = Number.NaN;
  if (o.denseEdges > 0) {
    try {
      denseEdges = await page.evaluate(addDenseEdges, o.denseEdges);
      denseDragFps = await drag(page, sampleMs);
    } catch (err) {
      log(`[${graphNodes}] dense sample failed: ${(err as Error).message.split('\n')[0]}`);
      denseDragFps = -1;
    }
  }
  await page.close().catch(() => undefined);
  return {
    graphNodes,
    nodes: m.nodes,
    edges: m.edges,
    renderer,
    dataMs: Math.round(m.dataAt),
    drawnMs: Math.round(m.drawnAt),
    dragFps: round1(dragFps),
    wheelFps: round1(wheelFps),
    redrawFps: round1(redrawFps),
    denseDragFps: round1(denseDragFps),
    denseEdges,
    load: [round1(loadBefore), round1(loadavg()[0]!)],
    radiusNodes: seed.reached + 1,
    overview: overview !== null,
    viewMs: Math.round(m.drawnAt - m.dataAt),
    expandMs,
    expandMembers,
  };
}

/** Counts animation frames in the page while `during` runs. */
async function framesDuring(page: Page, during: () => Promise<void>): Promise<number> {
  await page.evaluate(() => {
    const w = window as any;
    w.__benchFrames = 0;
    w.__benchStop = false;
    w.__benchStart = performance.now();
    const f = () => {
      w.__benchFrames++;
      if (!w.__benchStop) requestAnimationFrame(f);
    };
    requestAnimationFrame(f);
  });
  await during();
  return page.evaluate(() => {
    const w = window as any;
    w.__benchStop = true;
    return (w.__benchFrames * 1000) / (performance.now() - w.__benchStart);
  });
}

async function graphCentre(page: Page): Promise<{ x: number; y: number }> {
  return page.evaluate(() => {
    const r = document.getElementById('graph')!.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  });
}

/** A user dragging the graph in circles for `ms`. */
async function drag(page: Page, ms: number): Promise<number> {
  await page.evaluate(() => (window as any).cy.fit(undefined, 30));
  const c = await graphCentre(page);
  return framesDuring(page, async () => {
    await page.mouse.move(c.x, c.y);
    await page.mouse.down();
    const start = Date.now();
    for (let i = 0; Date.now() - start < ms; i++) await page.mouse.move(c.x + Math.sin(i / 8) * 150, c.y + Math.cos(i / 8) * 100);
    await page.mouse.up();
  });
}

/** A user zooming in and out with the wheel for `ms`. */
async function wheel(page: Page, ms: number): Promise<number> {
  const c = await graphCentre(page);
  await page.mouse.move(c.x, c.y);
  return framesDuring(page, async () => {
    const start = Date.now();
    for (let i = 0; Date.now() - start < ms; i++) {
      await page.mouse.wheel(0, i % 30 < 15 ? -60 : 60);
      await page.waitForTimeout(16);
    }
  });
}

function round1(n: number): number {
  return Math.round(n * 10) / 10;
}

/** The candidate whose blast radius size is closest to `want` (asked through the real API). */
async function chooseSeed(server: ExplorerServer, candidates: string[], want: number): Promise<{ id: string; reached: number }> {
  let best = { id: candidates[0]!, reached: -1 };
  for (const id of candidates) {
    const res = await fetch(`${server.origin}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($s:[SeedInput!]){ blastRadius(seeds:$s){ affected { id } } }', variables: { s: [{ id }] } }),
    });
    const body = (await res.json()) as { data?: { blastRadius: { affected: unknown[] } }; errors?: Array<{ message: string }> };
    if (!body.data) throw new Error(`blastRadius failed: ${body.errors?.[0]?.message ?? res.status}`);
    const reached = body.data.blastRadius.affected.length;
    if (best.reached < 0 || Math.abs(reached - want) < Math.abs(best.reached - want)) best = { id, reached };
  }
  return best;
}

/** In the page: pans with cy.panBy on every frame for `ms` (each frame a full redraw) and counts frames. */
function programmaticPan(ms: number): Promise<number> {
  const cy = (window as any).cy;
  cy.fit(undefined, 30);
  return new Promise((resolve) => {
    let frames = 0;
    const start = performance.now();
    const frame = (now: number) => {
      const t = now - start;
      cy.panBy({ x: Math.sin(t / 300) * 12, y: Math.cos(t / 300) * 8 });
      frames++;
      if (t < ms) requestAnimationFrame(frame);
      else resolve((frames * 1000) / t);
    };
    requestAnimationFrame(frame);
  });
}

/** In the page: adds edges between drawn nodes (deterministically) until there are `target` edges. */
function addDenseEdges(target: number): number {
  const cy = (window as any).cy;
  const nodes = cy.nodes(':visible').filter((n: any) => !n.isParent());
  const count = nodes.length;
  const extra: unknown[] = [];
  let i = 0;
  while (cy.edges().length + extra.length < target && i < target * 4) {
    const a = nodes[(i * 7919) % count];
    const b = nodes[(i * 104729 + 13) % count];
    i++;
    if (!a || !b || a.id() === b.id()) continue;
    extra.push({
      group: 'edges',
      data: { id: `bench-${i}`, source: a.id(), target: b.id(), kind: 'DEPENDS_ON', confidence: 'confirmed', lineStyle: 'solid', lineWidth: 2.5, lineOpacity: 0.95 },
    });
  }
  cy.add(extra);
  return cy.edges().length;
}

function printTable(rows: BrowserBenchResult[], log: (s: string) => void): void {
  const ok = (good: boolean) => (good ? 'ok' : 'MISSED');
  const header = ['radius', 'drawn', 'renderer', 'data ms', 'view ms', '<=2000', 'drag fps', 'wheel fps', 'redraw fps', '>=30', 'expand', '<=1000', 'dense edges', 'dense drag fps', 'load 1m'];
  const table = [
    header,
    ...rows.map((r) => [
      String(r.radiusNodes),
      `${r.overview ? 'groups' : 'nodes'}: ${r.nodes} n / ${r.edges} e`,
      r.renderer,
      String(r.dataMs),
      String(r.viewMs),
      ok(r.viewMs <= 2000),
      String(r.dragFps),
      String(r.wheelFps),
      String(r.redrawFps),
      ok(Math.min(r.dragFps, r.wheelFps) >= 30),
      r.expandMs === null ? '-' : `${r.expandMs} ms (${r.expandMembers})`,
      r.expandMs === null ? '-' : ok(r.expandMs <= 1000),
      String(r.denseEdges),
      String(r.denseDragFps),
      `${r.load[0]} -> ${r.load[1]}`,
    ]),
  ];
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  log('web explorer benchmark (headless Chromium, no GPU: software canvas; webgl rows: SwiftShader)');
  for (const row of table) log(`  ${row.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`);
}
