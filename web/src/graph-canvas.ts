/**
 * The Cytoscape instance: which renderer draws it (WebGL or canvas), its options by graph size, and
 * viewport fitting from known positions (no label measuring).
 */
import cytoscape from 'cytoscape';
import type { Core, StylesheetJson } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { PALETTES, type ColorScheme } from './kind-visuals.js';

cytoscape.use(dagre);

export type RendererMode = 'canvas' | 'webgl';

/**
 * What WebGL 2 this browser offers: `gpu` (hardware), `software` (SwiftShader, llvmpipe: what
 * headless or GPU-less machines get, and only with `--enable-unsafe-swiftshader` in Chromium), or
 * `none`.
 */
export type WebglSupport = 'gpu' | 'software' | 'none';

export function webglSupport(): WebglSupport {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return 'none';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer) ? 'software' : 'gpu';
  } catch {
    return 'none';
  }
}

export interface RendererChoice {
  /** `?renderer=canvas|webgl`, or null to choose by size and support. */
  forced: RendererMode | null;
  support: WebglSupport;
  nodeCount: number;
  /** WebGL from this many nodes up. */
  webglMinNodes: number;
}

/**
 * Cytoscape's WebGL renderer where the browser has WebGL 2 on a GPU and the graph is big enough to
 * gain from it; canvas otherwise. Software WebGL draws slower than canvas, so it is used only when
 * asked for (`?renderer=webgl`); without any WebGL 2 a forced `webgl` falls back to canvas.
 */
export function chooseRenderer(c: RendererChoice): RendererMode {
  if (c.forced === 'canvas') return 'canvas';
  if (c.forced === 'webgl') return c.support === 'none' ? 'canvas' : 'webgl';
  return c.support === 'gpu' && c.nodeCount >= c.webglMinNodes ? 'webgl' : 'canvas';
}

/** A new Cytoscape instance in `container`, tuned for `nodeCount` nodes. */
export function createCy(container: HTMLElement, mode: RendererMode, scheme: ColorScheme, style: StylesheetJson, nodeCount: number): Core {
  const bg = PALETTES[scheme].background;
  const rgb = [1, 3, 5].map((i) => parseInt(bg.slice(i, i + 2), 16));
  return cytoscape({
    container,
    style,
    minZoom: 0.02,
    maxZoom: 5,
    boxSelectionEnabled: false,
    selectionType: 'single',
    // Big graphs: draw a cached texture while panning/zooming (canvas renderer).
    textureOnViewport: mode === 'canvas' && nodeCount > 1500,
    hideEdgesOnViewport: mode === 'canvas' && nodeCount > 4000,
    pixelRatio: nodeCount > 1500 ? 1 : 'auto',
    renderer: { name: 'canvas', webgl: mode === 'webgl', webglBgColor: rgb },
  } as cytoscape.CytoscapeOptions);
}

/** Fits the viewport to known node positions (no label measuring, unlike cy.fit). */
export function fitPositions(cy: Core, positions: ReadonlyMap<string, { x: number; y: number }>, padding = 40): void {
  let x1 = Infinity;
  let y1 = Infinity;
  let x2 = -Infinity;
  let y2 = -Infinity;
  for (const p of positions.values()) {
    x1 = Math.min(x1, p.x);
    y1 = Math.min(y1, p.y);
    x2 = Math.max(x2, p.x);
    y2 = Math.max(y2, p.y);
  }
  if (!Number.isFinite(x1)) return;
  const margin = 40; // half a node plus a short label, in model px
  const w = Math.max(1, x2 - x1 + 2 * margin);
  const hgt = Math.max(1, y2 - y1 + 2 * margin);
  const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), Math.min((cy.width() - 2 * padding) / w, (cy.height() - 2 * padding) / hgt)));
  cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * ((x1 + x2) / 2), y: cy.height() / 2 - zoom * ((y1 + y2) / 2) } });
}
