/**
 * The explorer's controller: owns the view state (mirrored in the URL), the API answers, the
 * Cytoscape instance and the walk's playback. Pure work (elements, styles, layouts, timeline,
 * grouping, deadlines, exports) happens in the modules it imports; this file wires them to the DOM.
 */
import cytoscape from 'cytoscape';
import type { Core, EdgeSingular, EventObject, NodeSingular } from 'cytoscape';
import dagre from 'cytoscape-dagre';
import { ApiClient, ApiError } from './api.js';
import { blastGraph, type SeedInfo } from './blast-elements.js';
import { customersByUrgency, humanDuration } from './deadlines.js';
import { customerPaths, evidenceOf, pathElements, type Highlight } from './evidence.js';
import { viewCsv, viewJson } from './export-view.js';
import { buildStylesheet } from './graph-style.js';
import { CONFIDENCE_VISUALS, KIND_VISUALS, PALETTES, type ColorScheme } from './kind-visuals.js';
import { chooseLayered, forceLayout, hopColumns, layeredLayout } from './layouts.js';
import { neighborhoodGraph, type Reached } from './neighborhood-elements.js';
import { buildTimeline, stepAt, stepDuration, type Timeline } from './timeline.js';
import { NODE_KINDS, formatTime, kindOfId, type ApiNode, type BlastRadius, type Confidence, type Json, type NodeKind, type PathHop } from './types.js';
import { DEFAULT_STATE, parseViewState, serializeViewState, type ViewState } from './url-state.js';
import { applyVersionMode, type VersionMode } from './version-groups.js';
import { edgeVisualData, toElements, type ViewGraph, type ViewNode } from './view-graph.js';
import { download, h, replace, showTime } from './ui/dom.js';
import { renderLegend } from './ui/legend.js';
import { attachSearchBox } from './ui/search-box.js';

cytoscape.use(dagre);

/** Tunables, with the defaults the page uses. */
export interface ExplorerOptions {
  /**
   * Use Cytoscape's WebGL renderer from this many drawn nodes up (when the browser has WebGL 2).
   * @default 1500
   */
  webglMinNodes?: number;
  /**
   * Above this many nodes dagre is replaced by the linear hop-columns layout (dagre's ordering
   * phase takes about 0.5 s at 400 nodes and 2 s at 800 on a slow machine).
   * @default 500
   */
  dagreMaxNodes?: number;
  /**
   * Kind icons are drawn up to this many nodes (each is a texture; shape and colour remain beyond).
   * @default 2500
   */
  iconMaxNodes?: number;
  /**
   * A walk played from the start lasts about this long (ms).
   * @default 9000
   */
  walkMs?: number;
  /** Force a renderer (benchmarks, `?renderer=canvas|webgl`). */
  renderer?: 'canvas' | 'webgl' | null;
}

type RendererMode = 'canvas' | 'webgl';

interface Els {
  [id: string]: HTMLElement;
}

const TOKEN_KEY = 'blast.token';

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el;
}

/**
 * WebGL 2 backed by a GPU. A software rasteriser (SwiftShader, llvmpipe: what headless or GPU-less
 * machines get) makes Cytoscape's WebGL renderer slower than its canvas one, so it does not count.
 */
function webglAvailable(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return false;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return !/swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
  } catch {
    return false;
  }
}

function describeError(err: unknown): { title: string; detail: string; code: string } {
  if (err instanceof ApiError) {
    const titles: Record<string, string> = {
      UNAUTHENTICATED: 'This server needs an access token',
      FORBIDDEN: 'Your token may not do that',
      NOT_FOUND: 'Not found',
      BAD_INPUT: 'The server refused the request',
      NETWORK: 'The server cannot be reached',
      STORE_UNAVAILABLE: 'The graph store is unavailable',
      TOO_LARGE: 'The answer would be too large',
      TIMEOUT: 'The server took too long',
      TOO_BUSY: 'The server is busy with other exports',
    };
    return { title: titles[err.code] ?? 'Something went wrong', detail: err.message, code: err.code };
  }
  return { title: 'Something went wrong', detail: err instanceof Error ? err.message : String(err), code: 'INTERNAL' };
}

export class Explorer {
  readonly options: Required<Omit<ExplorerOptions, 'renderer'>> & { renderer: RendererMode | null };
  readonly api: ApiClient;
  cy!: Core;
  state: ViewState = { ...DEFAULT_STATE };
  result: BlastRadius | null = null;
  /** The walk's graph as computed (before version grouping). */
  base: ViewGraph | null = null;
  /** What is drawn (after version grouping), walk or neighbourhood. */
  drawn: ViewGraph | null = null;
  timeline: Timeline | null = null;
  step = -1;
  playing = false;
  role: 'viewer' | 'analyst' | 'admin' | null = null;
  authRequired = false;
  rendererMode: RendererMode = 'canvas';
  scheme: ColorScheme = 'light';
  highlight: Highlight | null = null;
  /** Timestamps (performance.now(), ms since navigation) for the benchmark. */
  readonly metrics: { dataAt: number | null; drawnAt: number | null; nodes: number; edges: number; phases: Record<string, number> } = {
    dataAt: null,
    drawnAt: null,
    nodes: 0,
    edges: 0,
    phases: {},
  };

  private token: string | null = null;
  private nodesById = new Map<string, ViewNode>();
  /** Drawn nodes (compound parents aside) visible at each step. */
  private nodesShownUpTo: number[] = [];
  private seedInfo = new Map<string, SeedInfo>();
  private loadGen = 0;
  private playTimer: ReturnType<typeof setTimeout> | undefined;
  private walkWaiters: Array<() => void> = [];
  private drawnWaiters: Array<() => void> = [];
  private loading = false;
  private readonly els: Els;
  private readonly webgl = webglAvailable();
  private lastError: { title: string; detail: string; code: string } | null = null;

  constructor(options: ExplorerOptions = {}) {
    this.options = {
      webglMinNodes: options.webglMinNodes ?? 1500,
      dagreMaxNodes: options.dagreMaxNodes ?? 500,
      iconMaxNodes: options.iconMaxNodes ?? 2500,
      walkMs: options.walkMs ?? 9000,
      renderer: options.renderer ?? null,
    };
    try {
      this.token = localStorage.getItem(TOKEN_KEY);
    } catch {
      this.token = null;
    }
    this.api = new ApiClient({ token: () => this.token });
    this.els = Object.fromEntries(
      [
        'graph', 'overlay', 'tooltip', 'scrubber', 'scrub-label', 'play-button', 'step-back', 'step-forward', 'seed-form', 'search-input',
        'search-results', 'seed-list', 'start-input', 'walk-button', 'auth', 'token-input', 'token-save', 'token-clear', 'auth-info',
        'kind-filters', 'conf-select', 'hops-input', 'versions-select', 'fit-button', 'relayout-button', 'clear-highlight', 'export-png',
        'export-json', 'export-csv', 'copy-link', 'legend', 'customer-list', 'customer-count', 'details-body', 'reached', 'reached-list',
        'reached-count', 'announcer', 'depth-select', 'back-to-walk', 'token-form', 'export-report', 'export-status',
      ].map((id) => [id, $(id)]),
    );
  }

  // ---------------------------------------------------------------- start

  start(): Promise<void> {
    const mq = window.matchMedia('(prefers-color-scheme: dark)');
    this.scheme = mq.matches ? 'dark' : 'light';
    mq.addEventListener('change', (e) => {
      this.scheme = e.matches ? 'dark' : 'light';
      this.restyle();
      renderLegend(this.els.legend!, this.scheme);
    });
    this.createCy('canvas');
    renderLegend(this.els.legend!, this.scheme);
    this.wireControls();
    window.addEventListener('popstate', () => {
      this.state = parseViewState(location.search);
      void this.load();
    });
    this.state = parseViewState(location.search);
    this.api.warmUp();
    void this.checkViewer();
    return this.load();
  }

  private async checkViewer(): Promise<void> {
    try {
      this.role = null;
      const v = await this.api.viewer();
      this.role = v.role;
      this.authRequired = v.authRequired;
      replace(this.els['auth-info']!, v.authRequired ? `Signed in with the ${v.role} role.` : `This server needs no token (every caller is ${v.role}).`);
    } catch (err) {
      const d = describeError(err);
      if (d.code === 'UNAUTHENTICATED') {
        (this.els.auth as HTMLDetailsElement).open = true;
        replace(this.els['auth-info']!, this.token ? 'The saved token was refused.' : 'This server needs a token.');
      }
    }
    if (this.state.selected) void this.renderDetails(this.state.selected);
  }

  /** Loads whatever the state asks for: a neighbourhood, a walk, or the empty start. */
  async load(): Promise<void> {
    this.syncControls();
    if (this.state.view === 'neighborhood' && this.state.center) {
      if (this.state.seeds.length && !this.result) await this.walk({ push: false, draw: false });
      this.renderCustomers();
      return this.showNeighborhood(this.state.center, this.state.depth);
    }
    if (this.state.seeds.length) return this.walk({ push: false });
    this.clearGraph();
    this.showOverlay('empty');
  }

  // ---------------------------------------------------------------- Cytoscape

  private createCy(mode: RendererMode, nodeCount = 0): void {
    const bg = PALETTES[this.scheme].background;
    const rgb = [1, 3, 5].map((i) => parseInt(bg.slice(i, i + 2), 16));
    const previous = this.cy as Core | undefined;
    previous?.destroy();
    this.rendererMode = mode;
    this.cy = cytoscape({
      container: this.els.graph!,
      style: this.stylesheet(nodeCount),
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
    (window as unknown as { cy: Core }).cy = this.cy;
    this.wireCy();
  }

  private stylesheet(nodeCount: number) {
    return buildStylesheet({
      scheme: this.scheme,
      icons: nodeCount <= this.options.iconMaxNodes,
      // Past 2,500 nodes edges are haystack lines: the cheapest Cytoscape draws, without arrow heads,
      // which a left-to-right layered layout (every edge points right) can spare.
      curveStyle: nodeCount > 2500 ? 'haystack' : nodeCount > 1200 ? 'straight' : 'bezier',
      minZoomedFontSize: nodeCount > 1500 ? 9 : 6,
      labelSide: this.state.view === 'neighborhood' ? 'bottom' : 'right',
      edgeEvents: nodeCount <= 2500,
      lean: nodeCount > 2500,
    });
  }

  private restyle(): void {
    this.cy.style(this.stylesheet(this.cy.nodes().length));
  }

  private ensureRenderer(nodeCount: number): void {
    const wanted: RendererMode = this.options.renderer ?? (this.webgl && nodeCount >= this.options.webglMinNodes ? 'webgl' : 'canvas');
    if (wanted !== this.rendererMode || nodeCount > 1500 !== this.cy.nodes().length > 1500) this.createCy(wanted, nodeCount);
    else this.cy.style(this.stylesheet(nodeCount));
  }

  private wireCy(): void {
    const cy = this.cy;
    cy.on('tap', 'node', (e: EventObject) => this.select((e.target as NodeSingular).id()));
    cy.on('tap', (e: EventObject) => {
      if (e.target === cy) this.select(null);
    });
    cy.on('mouseover', 'node, edge', (e: EventObject) => {
      const target = e.target as NodeSingular | EdgeSingular;
      this.showTooltip(target, e.renderedPosition ?? (target.isNode() ? target.renderedPosition() : target.renderedMidpoint()));
    });
    cy.on('mouseout', 'node, edge', () => this.hideTooltip());
    cy.on('viewport', () => this.hideTooltip());
    cy.on('render', () => {
      if (this.drawnWaiters.length) {
        const waiters = this.drawnWaiters;
        this.drawnWaiters = [];
        requestAnimationFrame(() => waiters.forEach((w) => w()));
      }
    });
  }

  /** Resolves after Cytoscape has drawn the current elements and the browser has painted a frame. */
  afterRender(): Promise<void> {
    return new Promise((resolve) => {
      this.drawnWaiters.push(resolve);
      this.cy.forceRender();
    });
  }

  private clearGraph(): void {
    this.pause();
    this.cy.elements().remove();
    this.result = null;
    this.base = null;
    this.drawn = null;
    this.timeline = null;
    this.step = -1;
    this.nodesById.clear();
    this.highlight = null;
    this.updateTimelineControls();
    this.renderCustomers();
    this.renderReached();
    void this.renderDetails(null);
  }

  // ---------------------------------------------------------------- the walk

  /** Asks the API for the blast radius of the state's seeds and draws it. */
  async walk(opts: { push?: boolean; draw?: boolean } = {}): Promise<void> {
    const gen = ++this.loadGen;
    this.pause();
    if (opts.push !== false) this.pushUrl(true);
    this.loading = true;
    this.showOverlay('loading');
    this.setBusy(true);
    try {
      const seeds = this.state.seeds.map((id) => ({ id, at: this.state.at }));
      const result = await this.api.blastRadius(seeds, { minConfidence: this.state.minConfidence, maxHops: this.state.maxHops });
      const missing = result.seeds.filter((s) => !this.seedInfo.has(s.id)).map((s) => s.id);
      const found = await this.api.nodes(missing);
      if (gen !== this.loadGen) return;
      for (const [id, n] of found) if (n) this.seedInfo.set(id, { kind: n.kind, name: n.name });
      this.metrics.dataAt = performance.now();
      this.result = result;
      this.base = blastGraph(result, this.seedInfo);
      this.lastError = null;
      const unknown = result.seeds.filter((s) => found.has(s.id) && found.get(s.id) === null).map((s) => s.id);
      if (opts.draw === false) return;
      await this.drawWalk({ play: this.state.t === null });
      if (gen !== this.loadGen) return;
      if (unknown.length) this.showOverlay('error', { title: 'Unknown seed', detail: `No node has the id ${unknown.join(', ')}.`, code: 'NOT_FOUND' });
      else if (result.affected.length === 0) this.showOverlay('nothing');
      else this.showOverlay(null);
      this.announce(`${result.affected.length} nodes and ${result.customers.length} customers reached.`);
    } catch (err) {
      if (gen !== this.loadGen) return;
      this.lastError = describeError(err);
      this.clearGraph();
      this.showOverlay('error', this.lastError);
      if (this.lastError.code === 'UNAUTHENTICATED') (this.els.auth as HTMLDetailsElement).open = true;
    } finally {
      if (gen === this.loadGen) {
        this.loading = false;
        this.setBusy(false);
        // A walk that ended (drawn at a fixed instant, or failed) has nothing left to play.
        if (!this.playing) this.resolveWalkWaiters();
      }
    }
  }

  /** Draws the loaded walk (after version grouping) with the layered layout, then plays or scrubs. */
  async drawWalk(opts: { play: boolean }): Promise<void> {
    if (!this.base || !this.result) return;
    this.pause();
    let mark = performance.now();
    const phases: Record<string, number> = {};
    const lap = (name: string) => {
      const now = performance.now();
      phases[name] = Math.round(now - mark);
      mark = now;
    };
    const drawn = applyVersionMode(this.base, this.state.versions);
    this.drawn = drawn;
    this.nodesById = new Map(this.base.nodes.map((n) => [n.id, n]));
    for (const n of drawn.nodes) this.nodesById.set(n.id, n);
    this.ensureRenderer(drawn.nodes.length);
    const cy = this.cy;
    this.highlight = null;
    // Big walks: positions go in with the elements and the viewport is set from them, so Cytoscape
    // never measures 5,000 labels to fit (cy.fit) nor moves nodes after adding them.
    const columns = chooseLayered(drawn.nodes.length, this.options.dagreMaxNodes) === 'columns' ? hopColumns(drawn) : null;
    const elements = toElements(drawn);
    if (columns) for (const el of elements) if (el.group === 'nodes') el.position = columns.get(el.data.id!) ?? { x: 0, y: 0 };
    lap('elements');
    cy.startBatch();
    cy.elements().remove();
    cy.add(elements);
    cy.endBatch();
    lap('add');
    if (columns) this.fitPositions(columns);
    else this.layoutWalk();
    lap('layout');
    this.timeline = buildTimeline(drawn);
    const counted = new Set(drawn.nodes.filter((n) => !(n.kind === 'Group' && !n.members)).map((n) => n.id));
    let running = 0;
    this.nodesShownUpTo = this.timeline.revealed.map((ids) => (running += ids.filter((id) => counted.has(id)).length));
    this.step = this.timeline.steps.length - 1;
    this.metrics.nodes = drawn.nodes.length;
    this.metrics.edges = drawn.edges.length;
    this.applyFilters();
    const target = opts.play ? 0 : this.state.t ? stepAt(this.timeline, Date.parse(this.state.t)) : this.step;
    this.setStep(Math.max(0, target), { url: false });
    this.renderCustomers();
    this.renderReached();
    if (this.state.focus && this.result.customers.some((c) => c.id === this.state.focus)) this.focusCustomer(this.state.focus, { url: false });
    if (this.state.selected && cy.getElementById(this.state.selected).nonempty()) {
      cy.getElementById(this.state.selected).select();
      void this.renderDetails(this.state.selected);
    } else if (this.state.selected) {
      void this.renderDetails(this.state.selected);
    }
    lap('panels');
    await this.afterRender();
    lap('firstRender');
    this.metrics.drawnAt = performance.now();
    this.metrics.phases = phases;
    if (opts.play && this.timeline.steps.length > 1) this.play();
    else this.resolveWalkWaiters();
  }

  private layoutWalk(): void {
    if (!this.drawn) return;
    const cy = this.cy;
    if (chooseLayered(this.drawn.nodes.length, this.options.dagreMaxNodes) === 'dagre') {
      // dagre may rank a second seed further right (nothing points at it); a temporary root feeding
      // every seed keeps all seeds in the first layer.
      const seeds = cy.nodes('.seed');
      const root =
        seeds.length > 1
          ? cy.add(
              toElements({
                nodes: [{ id: '__root', kind: 'Group', name: '', seed: false, reached: false, t: null, firstExposedAt: null, hops: 0, confidence: 'confirmed' }],
                edges: seeds.map((n) => ({ id: `__root|${n.id()}`, from: '__root', to: n.id(), kind: 'HOLDS' as const, t: null, arrival: null, h: 0, confidence: 'confirmed' as const, confidenceExact: true, compromiseDirection: true })),
              }),
            )
          : cy.collection();
      cy.layout(layeredLayout({ fit: root.empty(), edgeWeight: (e) => (e.id().startsWith('__root|') ? 1000 : 1) })).run();
      if (root.nonempty()) {
        cy.remove(root);
        cy.fit(undefined, 30);
      }
    } else {
      const pos = hopColumns(this.drawn);
      cy.layout({ name: 'preset', positions: (n: NodeSingular) => pos.get(n.id()) ?? n.position(), fit: false, animate: false } as cytoscape.LayoutOptions).run();
      this.fitPositions(pos);
    }
  }

  /** Fits the viewport to known node positions (no label measuring, unlike cy.fit). */
  private fitPositions(positions: ReadonlyMap<string, { x: number; y: number }>, padding = 40): void {
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
    const cy = this.cy;
    const margin = 40; // half a node plus a short label, in model px
    const w = Math.max(1, x2 - x1 + 2 * margin);
    const hgt = Math.max(1, y2 - y1 + 2 * margin);
    const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), Math.min((cy.width() - 2 * padding) / w, (cy.height() - 2 * padding) / hgt)));
    cy.viewport({ zoom, pan: { x: cy.width() / 2 - zoom * ((x1 + x2) / 2), y: cy.height() / 2 - zoom * ((y1 + y2) / 2) } });
  }

  // ---------------------------------------------------------------- timeline

  setStep(index: number, opts: { url?: boolean } = {}): void {
    const tl = this.timeline;
    if (!tl || tl.steps.length === 0) return;
    const target = Math.max(0, Math.min(tl.steps.length - 1, index));
    const cy = this.cy;
    const cur = this.step;
    if (target !== cur) {
      cy.startBatch();
      if (target > cur) {
        for (let k = cur + 1; k <= target; k++) for (const id of tl.revealed[k]!) cy.getElementById(id).removeClass('future');
      } else {
        for (let k = target + 1; k <= cur; k++) for (const id of tl.revealed[k]!) cy.getElementById(id).addClass('future');
      }
      cy.endBatch();
      this.step = target;
    }
    this.updateTimelineControls();
    if (opts.url !== false && !this.playing) {
      const last = target === tl.steps.length - 1;
      const t = tl.steps[target]!.t;
      this.state.t = last || t === null ? null : formatTime(t);
      this.pushUrl(false);
    }
    if (!this.playing) this.resolveWalkWaiters();
  }

  /** Shows the walk as it stood at an instant (ISO), or its end for null. */
  scrubTo(iso: string | null): void {
    if (!this.timeline) return;
    this.pause();
    const index = iso === null ? this.timeline.steps.length - 1 : stepAt(this.timeline, Date.parse(iso));
    if (index < 0) {
      // Before every instant: only what has no known time (the seeds) stays.
      this.setStep(0, { url: false });
    } else this.setStep(index, { url: false });
    this.state.t = iso;
    this.pushUrl(false);
  }

  play(): void {
    const tl = this.timeline;
    if (!tl || tl.steps.length < 2) return;
    if (this.step >= tl.steps.length - 1) this.setStep(0, { url: false });
    this.playing = true;
    const each = stepDuration(tl.steps.length, { totalMs: this.options.walkMs });
    const tick = () => {
      if (!this.playing || !this.timeline) return;
      this.setStep(this.step + 1, { url: false });
      if (this.step >= this.timeline.steps.length - 1) {
        this.pause();
        this.state.t = null;
        this.pushUrl(false);
        this.resolveWalkWaiters();
        return;
      }
      this.playTimer = setTimeout(tick, each);
    };
    this.playTimer = setTimeout(tick, each);
    this.updateTimelineControls();
  }

  pause(): void {
    const was = this.playing;
    this.playing = false;
    clearTimeout(this.playTimer);
    this.updateTimelineControls();
    if (was) this.resolveWalkWaiters();
  }

  /**
   * Resolves when the walk has stopped: loaded, drawn, and not playing (at its end, or at the instant a
   * link or the scrubber asked for); for a neighbourhood, once it is drawn.
   */
  walkFinished(): Promise<void> {
    if (!this.loading && !this.playing && (this.timeline || (this.state.view === 'neighborhood' && this.drawn))) return Promise.resolve();
    return new Promise((resolve) => this.walkWaiters.push(resolve));
  }

  private resolveWalkWaiters(): void {
    if (this.loading) return;
    const w = this.walkWaiters;
    this.walkWaiters = [];
    w.forEach((f) => f());
  }

  private updateTimelineControls(): void {
    const tl = this.timeline;
    const scrub = this.els.scrubber as HTMLInputElement;
    const play = this.els['play-button'] as HTMLButtonElement;
    const back = this.els['step-back'] as HTMLButtonElement;
    const fwd = this.els['step-forward'] as HTMLButtonElement;
    const usable = Boolean(tl && tl.steps.length > 0 && this.state.view === 'walk');
    scrub.disabled = !usable;
    play.disabled = !usable || (tl?.steps.length ?? 0) < 2;
    back.disabled = !usable || this.step <= 0;
    fwd.disabled = !usable || !tl || this.step >= tl.steps.length - 1;
    play.classList.toggle('playing', this.playing);
    play.setAttribute('aria-label', this.playing ? 'Pause the walk' : 'Play the walk');
    play.setAttribute('aria-pressed', String(this.playing));
    const hood = this.state.view === 'neighborhood';
    const depth = this.els['depth-select'] as HTMLSelectElement;
    depth.hidden = !hood;
    (depth.previousElementSibling as HTMLElement).hidden = !hood;
    depth.value = String(this.state.depth);
    (this.els['back-to-walk'] as HTMLButtonElement).hidden = !hood || this.state.seeds.length === 0;
    const label = this.els['scrub-label']!;
    if (!tl || !usable) {
      scrub.max = '0';
      scrub.value = '0';
      label.textContent = this.state.view === 'neighborhood' ? 'Neighbourhood view (no timeline)' : '—';
      return;
    }
    scrub.max = String(tl.steps.length - 1);
    scrub.value = String(this.step);
    const st = tl.steps[this.step]!;
    const shown = this.nodesShownUpTo[this.step] ?? 0;
    const when = st.t === null ? 'start' : showTime(formatTime(st.t));
    const total = this.drawn?.nodes.filter((n) => !(n.kind === 'Group' && !n.members)).length ?? 0;
    label.textContent = `${when} · hop ${st.h} · ${shown} of ${total} nodes`;
    scrub.setAttribute('aria-valuetext', `${when}, hop ${st.h}, ${shown} nodes reached`);
  }

  // ---------------------------------------------------------------- filters

  applyFilters(): void {
    const cy = this.cy;
    const hidden = new Set<string>(this.state.hide);
    cy.startBatch();
    cy.nodes().removeClass('filtered');
    if (hidden.size) {
      cy.nodes().forEach((n) => {
        const kind = n.data('kind') as string;
        if (hidden.has(kind)) n.addClass('filtered');
      });
      // A group whose members are all hidden goes too.
      cy.nodes(':parent').forEach((p) => {
        if (p.children().filter((c) => !c.hasClass('filtered')).empty()) p.addClass('filtered');
      });
      if (hidden.has('PackageVersion')) cy.nodes('.collapsed').addClass('filtered');
    }
    cy.endBatch();
    this.updateTimelineControls();
  }

  // ---------------------------------------------------------------- selection, evidence, focus

  select(id: string | null, opts: { center?: boolean } = {}): void {
    const cy = this.cy;
    cy.elements(':selected').unselect();
    this.state.selected = id;
    if (id) {
      const el = cy.getElementById(id);
      if (el.nonempty()) {
        el.select();
        if (opts.center) cy.animate({ center: { eles: el }, zoom: Math.max(cy.zoom(), 0.8) }, { duration: 250 });
      }
    }
    void this.renderDetails(id);
    this.pushUrl(false);
  }

  /** Highlights elements (by drawn id) and dims the rest; null clears. */
  setHighlight(hl: Highlight | null): void {
    const cy = this.cy;
    this.highlight = hl;
    cy.startBatch();
    cy.elements().removeClass('highlight dimmed');
    if (hl) {
      const on = new Set([...hl.nodes, ...hl.edges]);
      cy.elements().forEach((el) => {
        if (on.has(el.id())) el.addClass('highlight');
        else if (!el.isParent()) el.addClass('dimmed');
      });
    }
    cy.endBatch();
  }

  /** "Why is this affected?": the node's evidence path, highlighted and listed. */
  why(id: string): PathHop[] {
    if (!this.result) return [];
    const path = evidenceOf(this.result, id);
    this.setHighlight(pathElements([path], this.drawn?.alias));
    return path;
  }

  focusCustomer(id: string | null, opts: { url?: boolean } = {}): void {
    this.state.focus = id;
    for (const li of Array.from(this.els['customer-list']!.querySelectorAll('li[data-id]'))) {
      li.classList.toggle('focused', li.getAttribute('data-id') === id);
    }
    const customer = id && this.result ? this.result.customers.find((c) => c.id === id) : undefined;
    if (!customer) {
      this.setHighlight(null);
    } else {
      this.setHighlight(customerPaths(customer, this.drawn?.alias));
      const el = this.cy.getElementById(id!);
      this.cy.elements(':selected').unselect();
      if (el.nonempty()) el.select();
      this.state.selected = id;
      void this.renderDetails(id);
    }
    if (opts.url !== false) this.pushUrl(false);
  }

  // ---------------------------------------------------------------- neighbourhoods

  /** Adds a node's direct neighbours around it (faded, as context), without moving anything else. */
  async expand(id: string): Promise<void> {
    try {
      const hood = await this.api.neighborhood(id, 1);
      if (!hood) return this.announce('That node no longer exists.');
      const g = neighborhoodGraph(hood, this.reachedMap());
      const cy = this.cy;
      const centre = cy.getElementById(id);
      const alias = this.drawn?.alias;
      const fresh = g.nodes.filter((n) => cy.getElementById(n.id).empty() && !alias?.has(n.id));
      const els = toElements({ nodes: fresh, edges: [] });
      const present = (eid: string) => cy.getElementById(eid).nonempty();
      const edges = g.edges.filter((e) => {
        const reverse = `${e.to}|${e.kind}|${e.from}`;
        return !present(e.id) && !present(reverse) && (present(e.from) || fresh.some((n) => n.id === e.from)) && (present(e.to) || fresh.some((n) => n.id === e.to));
      });
      const edgeEls = toElements({ nodes: [], edges }).map((e) => ({ ...e, classes: 'context' }));
      const c = centre.nonempty() ? centre.position() : { x: 0, y: 0 };
      const r = 90 + fresh.length * 6;
      cy.startBatch();
      const added = cy.add(els);
      added.forEach((n, i) => {
        const a = (2 * Math.PI * i) / Math.max(1, added.length);
        n.position({ x: c.x + r * Math.cos(a), y: c.y + r * Math.sin(a) });
      });
      cy.add(edgeEls);
      cy.endBatch();
      this.applyFilters();
      this.announce(`${fresh.length} neighbours added${hood.truncated ? ' (truncated)' : ''}.`);
    } catch (err) {
      this.announce(describeError(err).detail);
    }
  }

  private reachedMap(): Reached {
    const m = new Map<string, Pick<ViewNode, 'seed' | 't' | 'firstExposedAt' | 'hops' | 'confidence'>>();
    for (const n of this.base?.nodes ?? []) m.set(n.id, n);
    return m;
  }

  async showNeighborhood(center: string, depth: number): Promise<void> {
    const gen = ++this.loadGen;
    this.pause();
    this.showOverlay('loading');
    try {
      const hood = await this.api.neighborhood(center, depth);
      if (gen !== this.loadGen) return;
      if (!hood) {
        this.showOverlay('error', { title: 'Not found', detail: `No node has the id ${center}.`, code: 'NOT_FOUND' });
        return;
      }
      const g = neighborhoodGraph(hood, this.reachedMap());
      this.drawn = g;
      for (const n of g.nodes) if (!this.nodesById.has(n.id)) this.nodesById.set(n.id, n);
      this.ensureRenderer(g.nodes.length);
      this.cy.startBatch();
      this.cy.elements().remove();
      this.cy.add(toElements(g));
      this.cy.endBatch();
      this.cy.getElementById(center).addClass('seed');
      this.cy.layout(forceLayout()).run();
      this.timeline = null;
      this.step = -1;
      this.applyFilters();
      this.updateTimelineControls();
      this.renderReached();
      this.select(this.state.selected ?? center);
      this.showOverlay(null);
      await this.afterRender();
      this.metrics.drawnAt = performance.now();
      this.resolveWalkWaiters();
      this.announce(`Neighbourhood of ${center}: ${g.nodes.length} nodes${hood.truncated ? ' (truncated)' : ''}.`);
    } catch (err) {
      if (gen === this.loadGen) this.showOverlay('error', describeError(err));
    }
  }

  // ---------------------------------------------------------------- panels

  private renderSeeds(): void {
    const list = this.els['seed-list']!;
    list.replaceChildren();
    if (this.state.seeds.length === 0) list.append(h('li', { class: 'empty' }, 'none yet: search and pick'));
    for (const id of this.state.seeds) {
      const name = this.seedInfo.get(id)?.name;
      list.append(
        h(
          'li',
          { class: 'chip', title: id },
          h('span', {}, name && name !== id ? `${name}` : id),
          h('button', { type: 'button', 'aria-label': `Remove seed ${id}`, onclick: () => this.removeSeed(id) }, '×'),
        ),
      );
    }
  }

  addSeed(id: string, info?: SeedInfo): void {
    if (info) this.seedInfo.set(id, info);
    if (!this.state.seeds.includes(id)) this.state.seeds.push(id);
    this.renderSeeds();
  }

  removeSeed(id: string): void {
    this.state.seeds = this.state.seeds.filter((s) => s !== id);
    this.renderSeeds();
  }

  renderCustomers(): void {
    const list = this.els['customer-list']!;
    list.replaceChildren();
    const customers = this.result?.customers ?? [];
    this.els['customer-count']!.textContent = this.result ? `(${customers.length})` : '';
    if (!this.result) return;
    if (customers.length === 0) {
      list.append(h('li', { class: 'empty' }, 'No customer or partner is reached.'));
      return;
    }
    const now = Date.now();
    for (const row of customersByUrgency(customers, now)) {
      const badge =
        row.status === 'overdue'
          ? `overdue by ${humanDuration(now - row.urgency)}`
          : row.status === 'pending'
            ? `due in ${humanDuration(row.urgency - now)}`
            : row.status === 'due'
              ? 'due now (exposure time unknown)'
              : 'no notification window recorded';
      list.append(
        h(
          'li',
          { 'data-id': row.id, class: row.id === this.state.focus ? 'focused' : '' },
          h(
            'button',
            { type: 'button', class: 'customer', 'aria-label': `Focus on ${row.name}'s paths`, onclick: () => this.focusCustomer(row.id) },
            h('div', { class: 'name' }, row.name, h('span', { class: `badge ${row.status}` }, badge)),
            h('div', { class: 'meta mono' }, row.id),
            h('div', { class: 'meta' }, `First exposed ${showTime(row.firstExposedAt)}`),
            h(
              'div',
              { class: 'meta' },
              row.deadline
                ? `Notify by ${showTime(row.deadline)} (${row.notifyWithinHours} h${row.jurisdiction ? `, ${row.jurisdiction}` : ''})`
                : row.notifyWithinHours === null
                  ? 'Notification window unknown'
                  : `Notify within ${row.notifyWithinHours} h of an unknown exposure`,
            ),
            h('div', { class: 'meta' }, `${row.reasons} reason${row.reasons === 1 ? '' : 's'}`),
          ),
        ),
      );
    }
  }

  renderReached(): void {
    const list = this.els['reached-list']!;
    list.replaceChildren();
    const nodes = (this.drawn?.nodes ?? []).filter((n) => !(n.kind === 'Group' && !n.members));
    this.els['reached-count']!.textContent = this.drawn ? `(${nodes.length})` : '';
    const sorted = [...nodes].sort((a, b) => (a.t ?? -Infinity) - (b.t ?? -Infinity) || a.hops - b.hops || (a.id < b.id ? -1 : 1));
    const LIMIT = 400;
    for (const n of sorted.slice(0, LIMIT)) {
      list.append(
        h(
          'li',
          {},
          h(
            'button',
            { type: 'button', onclick: () => this.select(n.id, { center: true }) },
            h('span', { class: `kind-tag kind-${n.kind}` }, n.kind === 'Group' ? 'PKGS' : KIND_VISUALS[n.kind].tag),
            h('span', { class: 'n' }, n.name),
            h('span', { class: 't' }, n.seed ? 'seed' : n.reached ? showTime(n.firstExposedAt).replace(' UTC', '') : 'context'),
          ),
        ),
      );
    }
    if (sorted.length > LIMIT) list.append(h('li', { class: 'empty' }, `… and ${sorted.length - LIMIT} more (use search, or export CSV)`));
  }

  private async renderDetails(id: string | null): Promise<void> {
    const body = this.els['details-body']!;
    if (!id) {
      replace(body, h('p', { class: 'hint' }, 'Click a node, or pick one from the reached list.'));
      return;
    }
    const v = this.nodesById.get(id);
    const affected = this.result?.affected.find((a) => a.id === id);
    const isSeed = this.result?.seeds.some((s) => s.id === id) ?? false;
    const kind = v?.kind ?? affected?.kind ?? kindOfId(id) ?? undefined;
    const head = h(
      'div',
      { class: 'details-head' },
      h('span', { class: `kind-tag kind-${kind ?? 'Group'}` }, kind === 'Group' || !kind ? 'PKGS' : KIND_VISUALS[kind].tag),
      h('span', { class: 'details-name' }, v?.name ?? affected?.name ?? id),
    );
    const facts = h('dl', { class: 'props' }, h('dt', {}, 'id'), h('dd', {}, id));
    const addFact = (k: string, value: string) => facts.append(h('dt', {}, k), h('dd', {}, value));
    if (isSeed) addFact('seed', `compromise starts ${showTime(this.result?.seeds.find((s) => s.id === id)?.at ?? null)}`);
    if (affected) {
      addFact('first exposed', showTime(affected.firstExposedAt));
      addFact('hops', String(affected.hops));
      addFact('confidence', affected.confidence);
    } else if (!isSeed && v && !v.reached) addFact('walk', 'not reached (shown as context)');
    if (v?.members) addFact('versions', v.members.join(', '));
    const actions = h('div', { class: 'actions' });
    const whyBox = h('div', { id: 'why-box' });
    if (affected) {
      actions.append(h('button', { type: 'button', id: 'why-button', class: 'primary', onclick: () => this.renderWhy(id, whyBox) }, 'Why is this affected?'));
    }
    if (kind !== 'Group') {
      actions.append(
        h('button', { type: 'button', onclick: () => void this.expand(id) }, 'Expand neighbourhood'),
        h('button', { type: 'button', onclick: () => this.openNeighborhood(id) }, 'Neighbourhood view'),
      );
      if (!isSeed) actions.append(h('button', { type: 'button', onclick: () => this.seedAndWalk(id) }, 'Walk from here'));
    }
    const customer = this.result?.customers.find((c) => c.id === id);
    const reasons = customer
      ? h(
          'div',
          {},
          h('h3', {}, 'Reasons'),
          h(
            'ul',
            { class: 'sources' },
            ...customer.reasons.map((r) => h('li', {}, `via ${this.nodesById.get(r.via)?.name ?? r.via} (${r.via}), ${r.path.length} hops, ${showTime(r.path[r.path.length - 1]?.arrival ?? null)}`)),
          ),
        )
      : null;
    const more = h('div', { class: 'more' }, h('p', { class: 'hint' }, 'Loading properties…'));
    const mark = kind && kind !== 'Group' ? this.markForm(id) : null;
    replace(body, head, facts, actions, whyBox, reasons, more, mark);
    if (kind === 'Group') {
      more.replaceChildren();
      return;
    }
    try {
      const node = await this.api.node(id);
      if (this.state.selected !== id) return;
      if (!node) {
        replace(more, h('p', { class: 'hint' }, 'Not in the graph.'));
        return;
      }
      replace(more, ...this.propsAndSources(node));
    } catch (err) {
      replace(more, h('p', { class: 'error-text' }, describeError(err).detail));
    }
  }

  private propsAndSources(node: ApiNode): Node[] {
    const props = node.props ?? {};
    const keys = Object.keys(props).sort();
    const dl = h('dl', { class: 'props' });
    for (const k of keys) dl.append(h('dt', {}, k), h('dd', {}, formatJson(props[k]!)));
    if (node.compromised) dl.append(h('dt', {}, 'compromised'), h('dd', {}, node.compromisedAt ? showTime(node.compromisedAt) : 'yes'));
    const sources = h('ul', { class: 'sources' });
    for (const s of node.sources ?? []) {
      sources.append(h('li', {}, `${s.source}${s.pointer ? ` ${s.pointer}` : ''}`, h('div', { class: 'mono' }, `sha256 ${s.sha256.slice(0, 16)}… · ingested ${showTime(s.ingestedAt)}`)));
    }
    return [h('h3', {}, 'Properties'), keys.length ? dl : h('p', { class: 'hint' }, 'none'), h('h3', {}, 'Sources'), sources];
  }

  private renderWhy(id: string, box: HTMLElement): void {
    const path = this.why(id);
    const name = (nid: string) => this.nodesById.get(nid)?.name ?? nid;
    const list = h('ol', { class: 'why-list', id: 'why-list', 'aria-busy': 'true' });
    const sourceLines: HTMLElement[] = [];
    for (const hop of path) {
      const src = h('div', { class: 'mono' }, 'source: loading…');
      sourceLines.push(src);
      list.append(
        h(
          'li',
          { 'data-from': hop.from, 'data-to': hop.to, 'data-edge': hop.edge },
          h('div', {}, name(hop.from), ' ', h('span', { class: 'hop-edge' }, `—${hop.edge}→`), ' ', name(hop.to)),
          h('div', { class: 'hint' }, `at ${showTime(hop.arrival)}`),
          src,
        ),
      );
    }
    replace(box, h('h3', {}, `Evidence path (${path.length} hop${path.length === 1 ? '' : 's'})`), list);
    // Each hop's record: the stored edge's sources (and its own confidence, which the walk's answer
    // only bounds), fetched now rather than with the walk.
    void this.api.hopEdges(path).then(
      (edges) => {
        edges.forEach((edge, i) => {
          const srcs = (edge?.sources ?? []).map((s) => `${s.source}${s.pointer ? ` ${s.pointer}` : ''}`);
          replace(sourceLines[i]!, srcs.length ? `source: ${srcs.join('; ')}` : 'source: not recorded');
          const hop = path[i]!;
          const drawn = this.cy.getElementById(`${hop.from}|${hop.edge}|${hop.to}`);
          if (edge && drawn.nonempty()) drawn.data({ confidence: edge.confidence ?? 'confirmed', confidenceExact: true, ...edgeVisualData(edge.confidence ?? 'confirmed') });
        });
        list.setAttribute('aria-busy', 'false');
      },
      (err) => {
        for (const line of sourceLines) replace(line, `source: ${describeError(err).detail}`);
        list.setAttribute('aria-busy', 'false');
      },
    );
  }

  private markForm(id: string): HTMLElement {
    const at = h('input', { type: 'datetime-local', step: '60', id: 'mark-at' });
    const adv = h('input', { type: 'text', id: 'mark-advisory', placeholder: 'osv:MAL-2026-2144 (optional)', spellcheck: 'false' });
    const msg = h('p', { class: 'hint', role: 'status' });
    const canWrite = this.role === null || this.role === 'analyst' || this.role === 'admin';
    const form = h(
      'form',
      { class: 'mark-form', 'aria-label': 'Mark compromised' },
      h('h3', {}, 'Mark compromised'),
      h('label', { for: 'mark-at' }, 'From (UTC; empty: its publish time)'),
      at,
      h('label', { for: 'mark-advisory' }, 'Advisory'),
      adv,
      h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'danger', id: 'mark-button', disabled: !canWrite }, 'Mark compromised and re-walk')),
      canWrite ? null : h('p', { class: 'hint' }, 'Needs the analyst role: set a token with that role.'),
      msg,
    );
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void (async () => {
        replace(msg, 'Marking…');
        try {
          await this.api.markCompromised(id, fromLocalInput(at.value), adv.value.trim() || null);
          replace(msg, h('span', { class: 'ok-text' }, 'Marked. Re-walking with it as a seed…'));
          this.seedAndWalk(id, { keepSeeds: true });
        } catch (err) {
          const d = describeError(err);
          replace(msg, h('span', { class: 'error-text' }, `${d.title}: ${d.detail}`));
          if (d.code === 'UNAUTHENTICATED') (this.els.auth as HTMLDetailsElement).open = true;
        }
      })();
    });
    return form;
  }

  seedAndWalk(id: string, opts: { keepSeeds?: boolean } = {}): void {
    const info = this.nodesById.get(id);
    if (info && info.kind !== 'Group') this.seedInfo.set(id, { kind: info.kind, name: info.name });
    this.state.seeds = opts.keepSeeds ? [...new Set([...this.state.seeds, id])] : [id];
    this.state.view = 'walk';
    this.state.center = null;
    this.state.t = null;
    this.state.focus = null;
    this.renderSeeds();
    void this.walk();
  }

  openNeighborhood(id: string): void {
    this.state.view = 'neighborhood';
    this.state.center = id;
    this.state.selected = id;
    this.pushUrl(true);
    this.syncControls();
    void this.showNeighborhood(id, this.state.depth);
  }

  // ---------------------------------------------------------------- tooltip

  private showTooltip(el: NodeSingular | EdgeSingular, at: { x: number; y: number }): void {
    const tip = this.els.tooltip!;
    const d = el.data() as Record<string, unknown>;
    if (el.isNode()) {
      if (el.isParent()) {
        replace(tip, h('strong', {}, String(d.name)), h('div', {}, `${el.children().length} members`));
      } else {
        const kind = d.kind as string;
        const lines: (string | HTMLElement)[] = [
          h('strong', {}, String(d.name)),
          h('div', { class: 'mono' }, String(d.id)),
          h('div', {}, kind === 'Group' ? 'package (collapsed versions)' : KIND_VISUALS[kind as NodeKind]?.label ?? kind),
        ];
        if (d.seed) lines.push(h('div', {}, `Seed · compromise starts ${showTime(d.firstExposedAt as string | null)}`));
        else if (d.reached) lines.push(h('div', {}, `First exposed ${showTime(d.firstExposedAt as string | null)}`), h('div', {}, `hop ${d.hops} · ${d.confidence}`));
        else lines.push(h('div', {}, 'Not reached by the walk'));
        replace(tip, ...lines);
      }
    } else {
      const conf = d.confidence as Confidence;
      replace(
        tip,
        h('strong', {}, String(d.kind)),
        h('div', { class: 'mono' }, `${String(d.source)} → ${String(d.target)}`),
        d.arrival !== undefined && (d.t !== null || d.arrival !== null) ? h('div', {}, `Crossed ${showTime(d.arrival as string | null)}`) : null,
        h('div', {}, `${d.confidenceExact === false ? 'at least ' : ''}${CONFIDENCE_VISUALS[conf]?.label ?? conf}`),
      );
    }
    tip.hidden = false;
    const box = this.els.graph!.getBoundingClientRect();
    const x = Math.min(at.x + 14, box.width - 300);
    const y = Math.min(at.y + 14, box.height - 90);
    tip.style.left = `${Math.max(4, x)}px`;
    tip.style.top = `${Math.max(4, y)}px`;
  }

  private hideTooltip(): void {
    this.els.tooltip!.hidden = true;
  }

  // ---------------------------------------------------------------- overlay, status

  showOverlay(kind: 'empty' | 'loading' | 'nothing' | 'error' | null, err?: { title: string; detail: string; code: string }): void {
    const o = this.els.overlay!;
    o.dataset.state = kind ?? 'none';
    if (kind === null) {
      o.replaceChildren();
      return;
    }
    if (kind === 'loading') {
      replace(o, h('div', { class: 'card' }, h('div', { class: 'spinner', 'aria-hidden': 'true' }), h('p', {}, this.state.view === 'neighborhood' ? 'Loading the neighbourhood…' : 'Computing the blast radius…')));
    } else if (kind === 'empty') {
      replace(
        o,
        h(
          'div',
          { class: 'card' },
          h('h2', {}, 'Where does it start?'),
          h('p', {}, 'Search for a compromised package version, CI action, credential or host above, pick it as a seed and press Walk.'),
          h('p', {}, 'For example: trivy-action 0.33.1, or litellm 1.82.8.'),
        ),
      );
    } else if (kind === 'nothing') {
      replace(o, h('div', { class: 'card' }, h('h2', {}, 'Nothing is reached'), h('p', {}, 'No edge carries the compromise out of the seeds with these settings (start time, confidence, hops).')));
    } else {
      const e = err ?? this.lastError ?? { title: 'Something went wrong', detail: '', code: 'INTERNAL' };
      replace(
        o,
        h(
          'div',
          { class: 'card error', role: 'alert' },
          h('h2', {}, e.title),
          h('p', {}, e.detail),
          h('button', { type: 'button', onclick: () => void this.load() }, 'Try again'),
        ),
      );
    }
  }

  announce(text: string): void {
    this.els.announcer!.textContent = text;
  }

  private setBusy(busy: boolean): void {
    (this.els['walk-button'] as HTMLButtonElement).disabled = busy;
    this.els.graph!.setAttribute('aria-busy', String(busy));
  }

  // ---------------------------------------------------------------- URL and controls

  pushUrl(push: boolean): void {
    const url = `${location.pathname}${serializeViewState(this.state)}${location.hash}`;
    if (url === `${location.pathname}${location.search}${location.hash}`) return;
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  private syncControls(): void {
    this.renderSeeds();
    (this.els['start-input'] as HTMLInputElement).value = toLocalInput(this.state.at);
    (this.els['conf-select'] as HTMLSelectElement).value = this.state.minConfidence;
    (this.els['hops-input'] as HTMLInputElement).value = this.state.maxHops === null ? '' : String(this.state.maxHops);
    (this.els['versions-select'] as HTMLSelectElement).value = this.state.versions;
    for (const box of Array.from(this.els['kind-filters']!.querySelectorAll('input'))) {
      box.checked = !this.state.hide.includes(box.value as NodeKind);
    }
  }

  private wireControls(): void {
    const els = this.els;
    // Kind filters
    const kf = els['kind-filters']!;
    for (const k of NODE_KINDS) {
      const box = h('input', { type: 'checkbox', value: k, checked: true, id: `kind-${k}` });
      box.addEventListener('change', () => {
        const hide = new Set(this.state.hide);
        if (box.checked) hide.delete(k);
        else hide.add(k);
        this.state.hide = NODE_KINDS.filter((x) => hide.has(x));
        this.applyFilters();
        this.pushUrl(false);
      });
      kf.append(h('label', { for: `kind-${k}` }, box, h('span', { class: `kind-tag kind-${k}` }, KIND_VISUALS[k].tag), KIND_VISUALS[k].label));
    }
    els['conf-select']!.addEventListener('change', () => {
      this.state.minConfidence = (els['conf-select'] as HTMLSelectElement).value as Confidence;
      if (this.state.seeds.length) {
        this.state.t = null;
        void this.walk();
      } else this.pushUrl(false);
    });
    els['hops-input']!.addEventListener('change', () => {
      const raw = (els['hops-input'] as HTMLInputElement).value.trim();
      const n = Number(raw);
      this.state.maxHops = raw === '' || !Number.isInteger(n) || n < 0 ? null : n;
      if (this.state.seeds.length) {
        this.state.t = null;
        void this.walk();
      } else this.pushUrl(false);
    });
    els['versions-select']!.addEventListener('change', () => {
      this.state.versions = (els['versions-select'] as HTMLSelectElement).value as VersionMode;
      this.pushUrl(false);
      if (this.state.view === 'walk' && this.base) void this.drawWalk({ play: false });
    });
    // Seeds
    attachSearchBox({
      input: els['search-input'] as HTMLInputElement,
      listbox: els['search-results'] as HTMLUListElement,
      api: this.api,
      onPick: (n) => {
        this.addSeed(n.id, { kind: n.kind, name: n.name });
        this.announce(`${n.name} added as a seed. Press Walk to start.`);
        (els['walk-button'] as HTMLButtonElement).focus();
      },
      onError: (err) => this.announce(describeError(err).detail),
    });
    els['seed-form']!.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (this.state.seeds.length === 0) {
        this.announce('Pick at least one seed first.');
        (els['search-input'] as HTMLInputElement).focus();
        return;
      }
      this.state.at = fromLocalInput((els['start-input'] as HTMLInputElement).value);
      this.state.t = null;
      this.state.focus = null;
      this.state.view = 'walk';
      this.state.center = null;
      void this.walk();
    });
    // Timeline
    els['play-button']!.addEventListener('click', () => (this.playing ? this.pause() : this.play()));
    els['step-back']!.addEventListener('click', () => {
      this.pause();
      this.setStep(this.step - 1);
    });
    els['step-forward']!.addEventListener('click', () => {
      this.pause();
      this.setStep(this.step + 1);
    });
    els.scrubber!.addEventListener('input', () => {
      // Read first: pause() redraws the controls, scrubber value included.
      const index = Number((els.scrubber as HTMLInputElement).value);
      this.pause();
      this.setStep(index);
    });
    els['depth-select']!.addEventListener('change', () => {
      this.state.depth = Number((els['depth-select'] as HTMLSelectElement).value) || 1;
      this.pushUrl(false);
      if (this.state.center) void this.showNeighborhood(this.state.center, this.state.depth);
    });
    els['back-to-walk']!.addEventListener('click', () => {
      this.state.view = 'walk';
      this.state.center = null;
      this.pushUrl(true);
      if (this.base) {
        this.cy.style(this.stylesheet(this.base.nodes.length));
        void this.drawWalk({ play: false });
      } else void this.load();
    });
    // View
    els['fit-button']!.addEventListener('click', () => this.cy.fit(undefined, 30));
    els['relayout-button']!.addEventListener('click', () => {
      if (this.state.view === 'neighborhood') this.cy.layout(forceLayout()).run();
      else this.layoutWalk();
    });
    els['clear-highlight']!.addEventListener('click', () => this.focusCustomer(null));
    // Export
    els['export-report']!.addEventListener('click', () => void this.exportReport());
    els['export-png']!.addEventListener('click', () => void this.exportPng());
    els['export-json']!.addEventListener('click', () => download(`${this.fileStem()}.json`, new Blob([`${JSON.stringify(this.viewExport(), null, 2)}\n`], { type: 'application/json' })));
    els['export-csv']!.addEventListener('click', () => download(`${this.fileStem()}.csv`, new Blob([viewCsv(this.viewExport())], { type: 'text/csv' })));
    els['copy-link']!.addEventListener('click', () => {
      void navigator.clipboard?.writeText(location.href).then(
        () => this.announce('Link copied.'),
        () => this.announce(location.href),
      );
    });
    // Token
    const tokenInput = els['token-input'] as HTMLInputElement;
    els['token-form']!.addEventListener('submit', (ev) => {
      ev.preventDefault();
      this.token = tokenInput.value.trim() || null;
      try {
        if (this.token) localStorage.setItem(TOKEN_KEY, this.token);
      } catch {
        /* private mode: keep it for this page only */
      }
      tokenInput.value = '';
      void this.checkViewer().then(() => {
        if (this.role) (els.auth as HTMLDetailsElement).open = false;
        if (this.lastError?.code === 'UNAUTHENTICATED') return this.load();
        return undefined;
      });
    });
    els['token-clear']!.addEventListener('click', () => {
      this.token = null;
      try {
        localStorage.removeItem(TOKEN_KEY);
      } catch {
        /* nothing stored */
      }
      replace(els['auth-info']!, 'Token forgotten.');
    });
    // Keyboard on the graph: pan, zoom, fit, clear.
    els.graph!.addEventListener('keydown', (ev) => {
      const cy = this.cy;
      const step = 60;
      const keys: Record<string, () => void> = {
        ArrowLeft: () => cy.panBy({ x: step, y: 0 }),
        ArrowRight: () => cy.panBy({ x: -step, y: 0 }),
        ArrowUp: () => cy.panBy({ x: 0, y: step }),
        ArrowDown: () => cy.panBy({ x: 0, y: -step }),
        '+': () => cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } }),
        '=': () => cy.zoom({ level: cy.zoom() * 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } }),
        '-': () => cy.zoom({ level: cy.zoom() / 1.25, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } }),
        '0': () => cy.fit(undefined, 30),
        Escape: () => {
          this.focusCustomer(null);
          this.select(null);
        },
        ' ': () => (this.playing ? this.pause() : this.play()),
      };
      const f = keys[ev.key];
      if (f) {
        ev.preventDefault();
        f();
      }
    });
  }

  // ---------------------------------------------------------------- export

  private fileStem(): string {
    const seed = this.state.seeds[0] ?? this.state.center ?? 'view';
    return `blast-radius-${seed.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60)}`;
  }

  /** The drawn, visible elements (not yet reached at the scrubber's instant or filtered out: left out). */
  visibleIds(): { nodes: Set<string>; edges: Set<string> } {
    const nodes = new Set<string>();
    const edges = new Set<string>();
    this.cy.elements().forEach((el) => {
      if (el.hasClass('future') || el.hasClass('filtered')) return;
      if (el.isNode()) {
        if (!el.isParent()) nodes.add(el.id());
      } else {
        const e = el as unknown as EdgeSingular;
        if (!e.source().hasClass('filtered') && !e.target().hasClass('filtered')) edges.add(e.id());
      }
    });
    return { nodes, edges };
  }

  viewExport() {
    const vis = this.visibleIds();
    const drawnNodes = new Map((this.drawn?.nodes ?? []).map((n) => [n.id, n]));
    const nodes: ViewNode[] = [];
    for (const id of vis.nodes) {
      const n = drawnNodes.get(id) ?? this.nodesById.get(id);
      if (n) nodes.push(n);
    }
    const edges = (this.drawn?.edges ?? []).filter((e) => vis.edges.has(e.id));
    const affected = new Map((this.result?.affected ?? []).map((a) => [a.id, a]));
    return viewJson({ link: location.href, snapshotId: this.result?.snapshotId ?? null, state: this.state, nodes, edges }, (id) => {
      const a = affected.get(id);
      return a ? [a.path[0]?.from ?? id, ...a.path.map((p) => p.to)] : undefined;
    });
  }

  /**
   * "Export report": the server renders the walk's export (seeds, start and settings as shown) into
   * one ZIP; the page fetches it with the token and saves it. Progress and errors show under the
   * button; the walk itself is left alone.
   */
  async exportReport(): Promise<void> {
    const button = this.els['export-report'] as HTMLButtonElement;
    if (this.state.seeds.length === 0) {
      this.exportStatus('Pick a seed first: the report covers the walk’s seeds and settings.', 'error');
      return;
    }
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    this.exportStatus('Preparing export…', 'busy');
    try {
      const seeds = this.state.seeds.map((id) => ({ id, at: this.state.at }));
      const made = await this.api.exportBlastRadius(seeds, { minConfidence: this.state.minConfidence, maxHops: this.state.maxHops });
      this.exportStatus(`Downloading ${made.fileName}…`, 'busy');
      const blob = await this.api.downloadFile(made.url);
      download(made.fileName, blob);
      this.exportStatus(`Saved ${made.fileName} (${formatSize(made.bytes)}): ${made.affectedCount} nodes reached, ${made.customerCount} customers.`, 'done');
      this.announce('Export report saved.');
    } catch (err) {
      const e = describeError(err);
      this.exportStatus(`${e.title}: ${e.detail}`, 'error');
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  }

  private exportStatus(text: string, kind: 'busy' | 'done' | 'error'): void {
    const el = this.els['export-status']!;
    el.textContent = text;
    el.className = `export-status ${kind}`;
  }

  async exportPng(): Promise<Blob> {
    const cy = this.cy;
    const bb = cy.elements(':visible').boundingBox();
    const longest = Math.max(bb.w, bb.h, 1);
    const blob = await cy.png({ output: 'blob-promise', full: true, bg: PALETTES[this.scheme].background, scale: Math.min(2, 8000 / longest), maxWidth: 8000, maxHeight: 8000 });
    download(`${this.fileStem()}.png`, blob);
    return blob;
  }

  /** Highlighted element ids, for tests. */
  highlighted(): { nodes: string[]; edges: string[] } {
    return {
      nodes: this.cy.nodes('.highlight').map((n) => n.id()).sort(),
      edges: this.cy.edges('.highlight').map((e) => e.id()).sort(),
    };
  }
}

function formatJson(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** A byte count for people: `812 KB`, `3.4 MB`. */
function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** datetime-local value (read as UTC) -> ISO; '' -> null. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const ms = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isNaN(ms) ? null : formatTime(ms);
}

/** ISO -> datetime-local value in UTC. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 16);
}
