/**
 * The renderer in real headless Chromium: Cytoscape's WebGL renderer where the browser has WebGL 2
 * (here SwiftShader, enabled with --enable-unsafe-swiftshader, and asked for with ?renderer=webgl),
 * and the canvas fallback where it has none (--disable-3d-apis) or where WebGL would only be software
 * (automatic choice). Each draws exactly the API's radius, and something visible.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SOFTWARE_WEBGL_ARG, buildWebIfStale, launchChromium, repoRoot, startExplorerServer, type Browser, type ExplorerServer } from '../../scripts/bench/browser-bench.js';

const ARTIFACTS = join(repoRoot(), 'test-artifacts', 'web');
const TRIVY = 'pkg:githubactions/aquasecurity/trivy-action@0.33.1';
const TEST_MS = 180_000;
const SETUP_MS = 300_000;

async function radiusIds(server: ExplorerServer): Promise<string[]> {
  const res = await fetch(`${server.origin}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: 'query($s: [SeedInput!]) { blastRadius(seeds: $s) { seeds { id } affected { id } } }', variables: { s: [{ id: TRIVY }] } }),
  });
  const r = ((await res.json()) as { data: { blastRadius: { seeds: Array<{ id: string }>; affected: Array<{ id: string }> } } }).data.blastRadius;
  return [...r.seeds, ...r.affected].map((n) => n.id).sort();
}

async function walk(browser: Browser, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  await page.evaluate(() => (window as any).blast.ready);
  await page.evaluate(() => (window as any).blast.walkFinished());
  await page.evaluate(() => (window as any).blast.afterRender());
  return { page, errors };
}

/** Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are) into RGBA rows. */
function decodePng(png: Buffer): { width: number; height: number; rgba: Uint8Array } {
  let at = 8;
  let width = 0;
  let height = 0;
  let channels = 4;
  const idat: Buffer[] = [];
  while (at < png.length) {
    const len = png.readUInt32BE(at);
    const type = png.toString('latin1', at + 4, at + 8);
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error('only 8-bit non-interlaced PNGs');
      channels = data[9] === 6 ? 4 : data[9] === 2 ? 3 : 0;
      if (!channels) throw new Error(`PNG colour type ${data[9]} not handled`);
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const out = new Uint8Array(width * height * 4);
  let prev = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const cur = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? cur[i - channels]! : 0;
      const b = prev[i]!;
      const c = i >= channels ? prev[i - channels]! : 0;
      const p = a + b - c;
      const pred = filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : filter === 4 ? (Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c) : 0;
      cur[i] = (line[i]! + pred) & 0xff;
    }
    for (let x = 0; x < width; x++) {
      for (let k = 0; k < 3; k++) out[(y * width + x) * 4 + k] = cur[x * channels + k]!;
      out[(y * width + x) * 4 + 3] = channels === 4 ? cur[x * channels + 3]! : 255;
    }
    prev = cur;
  }
  return { width, height, rgba: out };
}

/** Share of the graph area's pixels that differ from its top-left (background) pixel, in a real screenshot. */
async function inkShare(page: Page): Promise<number> {
  const { rgba } = decodePng(await page.locator('#graph').screenshot());
  let ink = 0;
  for (let i = 0; i < rgba.length; i += 4) if (Math.abs(rgba[i]! - rgba[0]!) + Math.abs(rgba[i + 1]! - rgba[1]!) + Math.abs(rgba[i + 2]! - rgba[2]!) > 30) ink++;
  return ink / (rgba.length / 4);
}

describe('renderer: WebGL where available, canvas otherwise', () => {
  let server: ExplorerServer;
  let plain: Browser;
  let swiftshader: Browser;
  let expected: string[];

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildWebIfStale();
    server = await startExplorerServer();
    // This machine's default flags still give software WebGL; --disable-3d-apis takes WebGL away.
    plain = await launchChromium(undefined, 'light', ['--disable-3d-apis']);
    swiftshader = await launchChromium(undefined, 'light', [SOFTWARE_WEBGL_ARG]);
    expected = await radiusIds(server);
  }, SETUP_MS);

  afterAll(async () => {
    await plain?.close();
    await swiftshader?.close();
    await server?.close();
  });

  it('draws with WebGL when asked and the browser has WebGL 2 (software here)', async () => {
    const { page, errors } = await walk(swiftshader, `${server.origin}/?seed=${TRIVY}&renderer=webgl`);
    expect(await page.evaluate(() => (window as any).blast.webglSupport())).toBe('software');
    expect(await page.evaluate(() => (window as any).blast.renderer())).toBe('webgl');
    expect(await page.evaluate(() => document.querySelectorAll('#graph canvas').length)).toBe(4);
    expect(await page.evaluate(() => (window as any).blast.visibleNodeIds())).toEqual(expected);
    expect(await inkShare(page)).toBeGreaterThan(0.01);
    // Clicking a node still selects it (WebGL picks through its own offscreen buffer).
    const at = await page.evaluate((id) => {
      const n = (window as any).cy.getElementById(id);
      const box = document.getElementById('graph')!.getBoundingClientRect();
      const p = n.renderedPosition();
      return { x: box.left + p.x, y: box.top + p.y };
    }, TRIVY);
    await page.mouse.click(at.x, at.y);
    await expect.poll(() => page.evaluate(() => (window as any).blast.state().selected)).toBe(TRIVY);
    await page.screenshot({ path: join(ARTIFACTS, 'renderer-webgl.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('falls back to canvas where there is no WebGL 2, even when asked for WebGL', async () => {
    const { page, errors } = await walk(plain, `${server.origin}/?seed=${TRIVY}&renderer=webgl`);
    expect(await page.evaluate(() => (window as any).blast.webglSupport())).toBe('none');
    expect(await page.evaluate(() => (window as any).blast.renderer())).toBe('canvas');
    expect(await page.evaluate(() => (window as any).blast.visibleNodeIds())).toEqual(expected);
    expect(await inkShare(page)).toBeGreaterThan(0.01);
    await page.screenshot({ path: join(ARTIFACTS, 'renderer-canvas-fallback.png') });
    expect(errors).toEqual([]);
    await page.close();
  }, TEST_MS);

  it('does not pick software WebGL by itself', async () => {
    const { page } = await walk(swiftshader, `${server.origin}/?seed=${TRIVY}`);
    expect(await page.evaluate(() => (window as any).blast.renderer())).toBe('canvas');
    await page.close();
  }, TEST_MS);
});
