/**
 * The explorer's controller: owns the view state (mirrored in the URL), the API answers and the
 * Cytoscape instance, and draws a walk or a neighbourhood. Everything else is in its own module:
 *
 * - session.ts: the token and the role; describe-error.ts: what a failure says
 * - graph-canvas.ts: the Cytoscape instance and its renderer (WebGL or canvas)
 * - walk-player.ts: the timeline's playback and scrubbing
 * - controls.ts: filters, seeds, timeline buttons, view and export buttons, keyboard
 * - panels/: customers, selection (details, evidence, marking), reached list, legend, overlay, tooltip,
 *   incident-day (containment plan, rotation queue)
 * - exports.ts: JSON, CSV and PNG of the view; the server's report ZIP
 * - pure modules: blast-elements, view-graph, version-groups, layouts, graph-style, timeline, url-state
 */
import type { Core, EdgeSingular, ElementDefinition, EventObject, NodeSingular, Position } from 'cytoscape';
import { ApiClient } from './api.js';
import { blastGraph, type SeedInfo } from './blast-elements.js';
import { renderSeeds, syncControls, updateTimelineControls, wireControls } from './controls.js';
import { describeError, type ErrorView } from './describe-error.js';
import { customerPaths, evidenceOf, pathElements, type Highlight } from './evidence.js';
import { visibleIds } from './exports.js';
import { chooseRenderer, createCy, fitPositions, webglSupport, type RendererMode, type WebglSupport } from './graph-canvas.js';
import { buildStylesheet } from './graph-style.js';
import type { ColorScheme } from './kind-visuals.js';
import { chooseLayered, forceLayout, hopColumns, layeredLayout, timeLanes } from './layouts.js';
import { neighborhoodGraph, type Reached } from './neighborhood-elements.js';
import { markFocusedCustomer, renderCustomers } from './panels/customers.js';
import { renderLegend } from './panels/legend.js';
import { PlanPanel, QueuePanel } from './panels/incident-day.js';
import { renderOverlay, type OverlayKind } from './panels/overlay.js';
import { renderReached } from './panels/reached.js';
import { renderStartPage } from './panels/start-page.js';
import { renderDetails } from './panels/selection.js';
import { hideTooltip, showTooltip } from './panels/tooltip.js';
import { Session } from './session.js';
import { isOverviewGroup, overviewGraph, overviewWanted, type Overview } from './overview.js';
import { buildTimeline, compareKey, stepAt, type Step, type Timeline } from './timeline.js';
import type { BlastRadius, PathHop } from './types.js';
import { replace } from './ui/dom.js';
import { DEFAULT_STATE, parseViewState, serializeViewState, type ViewState } from './url-state.js';
import { applyVersionMode } from './version-groups.js';
import { toElements, type ViewGraph, type ViewNode } from './view-graph.js';
import { WalkPlayer } from './walk-player.js';

export type { RendererMode } from './graph-canvas.js';

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
  /**
   * Above this many reached nodes the walk is drawn as groups (overview.ts); `?ov=on|off` in the URL
   * forces it either way.
   * @default 1500
   */
  overviewMinNodes?: number;
  /** Force a renderer (benchmarks, `?renderer=canvas|webgl`). */
  renderer?: RendererMode | null;
}

/** The page's elements the explorer uses, by id (index.html holds them all). */
const ELEMENT_IDS = [
  'graph', 'overlay', 'tooltip', 'scrubber', 'scrub-label', 'play-button', 'step-back', 'step-forward', 'seed-form', 'search-input',
  'search-results', 'seed-list', 'start-input', 'walk-button', 'auth', 'token-input', 'token-save', 'token-clear', 'auth-info',
  'kind-filters', 'conf-select', 'hops-input', 'versions-select', 'fit-button', 'relayout-button', 'clear-highlight', 'export-png',
  'export-json', 'export-csv', 'copy-link', 'legend', 'customer-list', 'customer-count', 'details-body', 'reached', 'reached-list',
  'reached-count', 'announcer', 'depth-select', 'back-to-walk', 'token-form', 'export-report', 'export-status', 'overview-select',
  'layout-select', 'plan', 'plan-form', 'plan-at', 'plan-cost-rotate', 'plan-cost-contain', 'plan-cost-revoke', 'plan-button', 'plan-body',
  'plan-count', 'queue', 'queue-body', 'queue-count',
] as const;

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from index.html`);
  return el;
}

export class Explorer {
  readonly options: Required<Omit<ExplorerOptions, 'renderer'>> & { renderer: RendererMode | null };
  readonly api: ApiClient;
  readonly session = new Session();
  readonly player: WalkPlayer;
  cy!: Core;
  state: ViewState = { ...DEFAULT_STATE };
  result: BlastRadius | null = null;
  /** The walk's graph as computed (before version grouping). */
  base: ViewGraph | null = null;
  /** What is drawn (after version grouping or as the overview), walk or neighbourhood. */
  drawn: ViewGraph | null = null;
  /** The walk's overview when it is drawn as groups, else null. */
  overview: Overview | null = null;
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
  /** The page's elements by id. */
  readonly els: Record<string, HTMLElement>;
  /** Every node known to the view (walk, drawn groups, neighbourhood context) by id. */
  nodesById = new Map<string, ViewNode>();
  /** Kind and name of seeds (the walk's answer names them by id only). */
  readonly seedInfo = new Map<string, SeedInfo>();
  lastError: ErrorView | null = null;
  /** The incident day's panels: containment plan and rotation queue of the walk on screen. */
  readonly planPanel: PlanPanel;
  readonly queuePanel: QueuePanel;

  private loadGen = 0;
  private drawnWaiters: Array<() => void> = [];
  private loading = false;
  /** What WebGL this browser has (graph-canvas.ts chooseRenderer decides with it). */
  readonly webgl: WebglSupport = webglSupport();

  constructor(options: ExplorerOptions = {}) {
    this.options = {
      webglMinNodes: options.webglMinNodes ?? 1500,
      dagreMaxNodes: options.dagreMaxNodes ?? 500,
      iconMaxNodes: options.iconMaxNodes ?? 2500,
      walkMs: options.walkMs ?? 9000,
      overviewMinNodes: options.overviewMinNodes ?? 1500,
      renderer: options.renderer ?? null,
    };
    this.api = new ApiClient({ token: () => this.session.token() });
    this.els = Object.fromEntries(ELEMENT_IDS.map((id) => [id, $(id)]));
    this.planPanel = new PlanPanel(this);
    this.queuePanel = new QueuePanel(this);
    this.player = new WalkPlayer({
      cy: () => this.cy,
      walkMs: () => this.options.walkMs,
      loading: () => this.loading,
      changed: () => updateTimelineControls(this),
      instant: (t) => {
        this.state.t = t;
        this.pushUrl(false);
      },
      otherViewDrawn: () => this.state.view === 'neighborhood' && this.drawn !== null,
    });
  }

  // The walk's playback, as the page hook and the controls know it.
  get timeline(): Timeline | null {
    return this.player.timeline;
  }
  get step(): number {
    return this.player.step;
  }
  get playing(): boolean {
    return this.player.playing;
  }
  get role(): Session['role'] {
    return this.session.role;
  }
  setStep(index: number, opts: { url?: boolean } = {}): void {
    this.player.setStep(index, opts);
  }
  scrubTo(iso: string | null): void {
    this.player.scrubTo(iso);
  }
  play(): void {
    this.player.play();
  }
  pause(): void {
    this.player.pause();
  }
  walkFinished(): Promise<void> {
    return this.player.finished();
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
    this.setCy('canvas');
    renderLegend(this.els.legend!, this.scheme);
    wireControls(this);
    this.planPanel.wire();
    this.queuePanel.wire();
    window.addEventListener('popstate', () => {
      this.state = parseViewState(location.search);
      void this.load();
    });
    this.state = parseViewState(location.search);
    this.api.warmUp();
    void this.checkViewer();
    return this.load();
  }

  async checkViewer(): Promise<void> {
    try {
      const v = await this.session.check(this.api);
      replace(this.els['auth-info']!, v.authRequired ? `Signed in with the ${v.role} role.` : `This server needs no token (every caller is ${v.role}).`);
    } catch (err) {
      const d = describeError(err);
      if (d.code === 'UNAUTHENTICATED') {
        (this.els.auth as HTMLDetailsElement).open = true;
        replace(this.els['auth-info']!, this.session.token() ? 'The saved token was refused.' : 'This server needs a token.');
      }
    }
    if (this.state.selected) void renderDetails(this, this.state.selected);
  }

  /** Loads whatever the state asks for: a neighbourhood, a walk, or the empty start. */
  async load(): Promise<void> {
    syncControls(this);
    if (this.state.view === 'neighborhood' && this.state.center) {
      if (this.state.seeds.length && !this.result) await this.walk({ push: false, draw: false });
      this.renderCustomers();
      return this.showNeighborhood(this.state.center, this.state.depth);
    }
    if (this.state.seeds.length) return this.walk({ push: false });
    this.clearGraph();
    this.showOverlay('empty');
    return this.showStartPage();
  }

  /** Replaces the empty start's card with the start page once the server has answered. */
  private async showStartPage(): Promise<void> {
    const gen = this.loadGen;
    try {
      const data = await this.api.startPage();
      if (gen !== this.loadGen || this.state.seeds.length || this.els.overlay!.dataset.state !== 'empty') return;
      const card = renderStartPage(data, {
        walk: (seeds) => {
          const ats = new Set(seeds.map((s) => s.at));
          for (const seed of seeds) {
            const n = data.compromised.nodes.find((c) => c.id === seed.id);
            if (n) this.seedInfo.set(n.id, { kind: n.kind, name: n.name });
          }
          this.state.seeds = seeds.map((s) => s.id);
          this.state.at = ats.size === 1 ? [...ats][0]! : null;
          this.state.t = null;
          this.state.focus = null;
          this.state.view = 'walk';
          this.state.center = null;
          syncControls(this);
          void this.walk();
        },
        announce: (text) => this.announce(text),
        lastLooked: this.session.lastLooked(),
      });
      this.els.overlay!.replaceChildren(card);
      this.session.looked(new Date().toISOString());
    } catch {
      // An older server, or a token still to be given: the plain start card stays.
    }
  }

  // ---------------------------------------------------------------- Cytoscape

  private setCy(mode: RendererMode, nodeCount = 0): void {
    (this.cy as Core | undefined)?.destroy();
    try {
      this.cy = createCy(this.els.graph!, mode, this.scheme, this.stylesheet(nodeCount), nodeCount);
      this.rendererMode = mode;
    } catch (err) {
      if (mode === 'canvas') throw err;
      // The WebGL context could not be made (lost, blocked): draw with canvas.
      this.els.graph!.replaceChildren();
      this.cy = createCy(this.els.graph!, 'canvas', this.scheme, this.stylesheet(nodeCount), nodeCount);
      this.rendererMode = 'canvas';
    }
    (window as unknown as { cy: Core }).cy = this.cy;
    this.wireCy();
  }

  stylesheet(nodeCount: number) {
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
    const wanted = chooseRenderer({ forced: this.options.renderer, support: this.webgl, nodeCount, webglMinNodes: this.options.webglMinNodes });
    if (wanted !== this.rendererMode || nodeCount > 1500 !== this.cy.nodes().length > 1500) this.setCy(wanted, nodeCount);
    else this.cy.style(this.stylesheet(nodeCount));
  }

  private wireCy(): void {
    const cy = this.cy;
    cy.on('tap', 'node', (e: EventObject) => this.select((e.target as NodeSingular).id()));
    cy.on('dbltap', 'node.group', (e: EventObject) => void this.toggleGroup((e.target as NodeSingular).id(), true));
    cy.on('tap', (e: EventObject) => {
      if (e.target === cy) this.select(null);
    });
    cy.on('mouseover', 'node, edge', (e: EventObject) => {
      const target = e.target as NodeSingular | EdgeSingular;
      showTooltip(this.els.tooltip!, this.els.graph!, target, e.renderedPosition ?? (target.isNode() ? target.renderedPosition() : target.renderedMidpoint()));
    });
    cy.on('mouseout', 'node, edge', () => hideTooltip(this.els.tooltip!));
    cy.on('viewport', () => hideTooltip(this.els.tooltip!));
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
    if (this.rendererMode === 'webgl') {
      // Cytoscape's WebGL renderer (3.35) never emits `render`: it draws in its next animation
      // frame after forceRender, and the browser paints the one after.
      this.cy.forceRender();
      return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
    }
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
    this.overview = null;
    this.player.load(null);
    this.nodesById.clear();
    this.highlight = null;
    updateTimelineControls(this);
    this.renderCustomers();
    this.renderReached();
    void renderDetails(this, null);
    this.incidentDayChanged();
  }

  /** The walk changed (or is gone): the plan and queue panels drop an answer for another walk. */
  private incidentDayChanged(): void {
    this.planPanel.walkChanged();
    this.queuePanel.walkChanged();
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
      if (opts.draw === false) return this.incidentDayChanged();
      await this.drawWalk({ play: this.state.t === null });
      if (gen !== this.loadGen) return;
      this.incidentDayChanged();
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
        if (!this.playing) this.player.resolveWaiters();
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
    const drawn = this.walkView();
    this.drawn = drawn;
    this.nodesById = new Map(this.base.nodes.map((n) => [n.id, n]));
    for (const n of drawn.nodes) this.nodesById.set(n.id, n);
    this.ensureRenderer(drawn.nodes.length);
    const cy = this.cy;
    this.highlight = null;
    // Big walks: positions go in with the elements and the viewport is set from them, so Cytoscape
    // never measures 5,000 labels to fit (cy.fit) nor moves nodes after adding them.
    const columns = this.presetPositions(drawn);
    const elements = toElements(drawn);
    if (columns) for (const el of elements) if (el.group === 'nodes') el.position = columns.get(el.data.id!) ?? { x: 0, y: 0 };
    lap('elements');
    cy.startBatch();
    cy.elements().remove();
    cy.add(elements);
    cy.endBatch();
    lap('add');
    if (columns) fitPositions(cy, columns);
    else this.layoutWalk();
    lap('layout');
    const timeline = buildTimeline(drawn);
    this.player.load(timeline, this.reachedCounts(timeline, drawn));
    this.metrics.nodes = drawn.nodes.length;
    this.metrics.edges = drawn.edges.length;
    this.applyFilters();
    const target = opts.play ? 0 : this.state.t ? stepAt(timeline, Date.parse(this.state.t)) : this.step;
    this.setStep(Math.max(0, target), { url: false });
    this.renderCustomers();
    this.renderReached();
    if (this.state.focus && this.result.customers.some((c) => c.id === this.state.focus)) this.focusCustomer(this.state.focus, { url: false });
    if (this.state.selected && cy.getElementById(this.state.selected).nonempty()) {
      cy.getElementById(this.state.selected).select();
      void renderDetails(this, this.state.selected);
    } else if (this.state.selected) {
      void renderDetails(this, this.state.selected);
    }
    lap('panels');
    await this.afterRender();
    lap('firstRender');
    this.metrics.drawnAt = performance.now();
    this.metrics.phases = phases;
    if (opts.play && timeline.steps.length > 1) this.play();
    else this.player.resolveWaiters();
  }

  /**
   * What the walk draws: the overview (groups) above the threshold or when asked for, else every
   * node with package versions shown as the versions control says.
   */
  private walkView(): ViewGraph {
    const base = this.base!;
    if (overviewWanted(base.nodes.length, this.state.overview, this.options.overviewMinNodes)) {
      this.overview = overviewGraph(base, { expanded: new Set(this.state.open), pinned: this.pins() });
      return this.overview;
    }
    this.overview = null;
    return applyVersionMode(base, this.state.versions);
  }

  /** Nodes the overview always draws as themselves: the selected node and its evidence path. */
  private pins(): Set<string> {
    const id = this.state.selected;
    if (!id || !this.result || isOverviewGroup(id)) return new Set();
    const out = new Set<string>([id]);
    for (const hop of evidenceOf(this.result, id)) out.add(hop.from).add(hop.to);
    return out;
  }

  /**
   * Positions computed here rather than by a Cytoscape layout: the time lanes, the overview (always
   * in columns: few nodes, but dagre would re-rank them on every expand), and big walks; null: dagre.
   */
  private presetPositions(drawn: ViewGraph): Map<string, Position> | null {
    if (this.state.layout === 'lanes') return timeLanes(drawn);
    if (this.overview || chooseLayered(drawn.nodes.length, this.options.dagreMaxNodes) === 'columns') return hopColumns(drawn);
    return null;
  }

  /**
   * The scrubber's counts: reached nodes (of the whole walk, grouped or not) at each step, and in all.
   * In the overview a step's count is every walk node whose (time, hop) is at or before the step's.
   */
  private reachedCounts(timeline: Timeline, drawn: ViewGraph): { shownUpTo: number[]; total: number } {
    if (!this.overview || !this.base) {
      const counted = drawn.nodes.filter((n) => !(n.kind === 'Group' && !n.members));
      const ids = new Set(counted.map((n) => n.id));
      let running = 0;
      return { shownUpTo: timeline.revealed.map((list) => (running += list.filter((id) => ids.has(id)).length)), total: counted.length };
    }
    const keys: Step[] = this.base.nodes.map((n) => ({ t: n.t, h: n.seed ? 0 : n.hops })).sort(compareKey);
    let i = 0;
    const shownUpTo = timeline.steps.map((st) => {
      while (i < keys.length && compareKey(keys[i]!, st) <= 0) i++;
      return i;
    });
    // At its last step every group is lit: the whole walk is shown, later members included.
    if (shownUpTo.length) shownUpTo[shownUpTo.length - 1] = keys.length;
    return { shownUpTo, total: keys.length };
  }

  /** Expands an overview group in place (its members drawn instead), or collapses it back. */
  async toggleGroup(id: string, open: boolean): Promise<void> {
    const set = new Set(this.state.open);
    if (open) set.add(id);
    else set.delete(id);
    this.state.open = [...set].sort();
    this.pushUrl(false);
    this.redrawOverview();
    if (this.state.selected) void renderDetails(this, this.state.selected);
    this.announce(`${this.overview?.groups.get(id)?.name ?? id} ${open ? 'expanded' : 'collapsed'}.`);
    await this.afterRender();
  }

  /**
   * Redraws the overview after groups opened or closed or the pinned path changed, in place: what
   * stays keeps its position, a group's members appear in a block where the group stood, a group
   * coming back sits where its members were. The timeline is rebuilt and the scrubber keeps its instant.
   */
  redrawOverview(): void {
    if (!this.base || !this.overview || this.state.view !== 'walk') return;
    const before = this.overview;
    const drawn = this.walkView();
    if (!this.overview) return void this.drawWalk({ play: false });
    this.drawn = drawn;
    for (const n of drawn.nodes) this.nodesById.set(n.id, n);
    const cy = this.cy;
    const wanted = new Set<string>();
    for (const n of drawn.nodes) wanted.add(n.id);
    for (const e of drawn.edges) wanted.add(e.id);
    const fallback = this.state.layout === 'lanes' ? timeLanes(drawn) : null;
    // Groups opening now: their members go in a block of columns where the group stood (earliest
    // first), and whatever stood right of the group moves right by the block's width.
    const COLUMN = 160;
    const ROW = 34;
    const opening = new Map<string, { at: Position; perColumn: number; next: number }>();
    if (!fallback) {
      const count = new Map<string, number>();
      for (const n of drawn.nodes) {
        const g = before.alias?.get(n.id);
        if (g && cy.getElementById(n.id).empty()) count.set(g, (count.get(g) ?? 0) + 1);
      }
      for (const [g, k] of count) {
        const anchor = cy.getElementById(g);
        if (anchor.empty()) continue;
        const perColumn = Math.min(40, Math.max(8, Math.ceil(Math.sqrt(k * 3))));
        const width = Math.ceil(k / perColumn) * COLUMN;
        const at = { ...anchor.position() };
        opening.set(g, { at, perColumn, next: 0 });
        cy.nodes().forEach((n) => {
          if (n.id() !== g && n.position().x > at.x + 5) n.shift({ x: width, y: 0 });
        });
      }
    }
    const placeOf = (id: string): Position => {
      if (fallback) return fallback.get(id) ?? { x: 0, y: 0 };
      const block = opening.get(before.alias?.get(id) ?? '');
      if (block) {
        const i = block.next++;
        return { x: block.at.x + Math.floor(i / block.perColumn) * COLUMN, y: block.at.y + ((i % block.perColumn) - (block.perColumn - 1) / 2) * ROW };
      }
      const members = this.overview!.groups.get(id)?.members ?? [];
      let x = 0;
      let y = 0;
      let k = 0;
      for (const m of members) {
        const el = cy.getElementById(m);
        if (el.empty()) continue;
        const p = el.position();
        x += p.x;
        y += p.y;
        k++;
      }
      return k ? { x: x / k, y: y / k } : { x: 0, y: 0 };
    };
    const fresh: ElementDefinition[] = [];
    for (const el of toElements(drawn)) {
      const id = el.data.id!;
      if (cy.getElementById(id).nonempty()) continue;
      if (el.group === 'nodes') el.position = placeOf(id);
      fresh.push(el);
    }
    cy.startBatch();
    cy.elements().filter((el) => !wanted.has(el.id())).remove();
    cy.add(fresh);
    // Edges merged between groups may now stand for an earlier crossing.
    for (const e of drawn.edges) {
      const el = cy.getElementById(e.id);
      if (el.data('t') !== e.t) el.data({ t: e.t, arrival: e.arrival, h: e.h });
    }
    cy.elements().removeClass('future');
    cy.endBatch();
    const timeline = buildTimeline(drawn);
    this.player.load(timeline, this.reachedCounts(timeline, drawn));
    this.metrics.nodes = drawn.nodes.length;
    this.metrics.edges = drawn.edges.length;
    this.applyFilters();
    const target = this.state.t ? stepAt(timeline, Date.parse(this.state.t)) : timeline.steps.length - 1;
    this.player.step = timeline.steps.length - 1;
    this.setStep(Math.max(0, target), { url: false });
    this.renderReached();
    if (this.state.focus) this.focusCustomer(this.state.focus, { url: false });
    const sel = this.state.selected ? cy.getElementById(this.state.selected) : cy.collection();
    if (sel.nonempty()) sel.select();
  }

  layoutWalk(): void {
    if (!this.drawn) return;
    const cy = this.cy;
    const preset = this.presetPositions(this.drawn);
    if (preset) {
      cy.layout({ name: 'preset', positions: (n: NodeSingular) => preset.get(n.id()) ?? n.position(), fit: false, animate: false } as cytoscape.LayoutOptions).run();
      fitPositions(cy, preset);
    } else if (chooseLayered(this.drawn.nodes.length, this.options.dagreMaxNodes) === 'dagre') {
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
    }
  }

  /** From a neighbourhood view back to the walk it came from. */
  backToWalk(): void {
    this.state.view = 'walk';
    this.state.center = null;
    this.pushUrl(true);
    if (this.base) {
      this.cy.style(this.stylesheet(this.base.nodes.length));
      void this.drawWalk({ play: false });
    } else void this.load();
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
    updateTimelineControls(this);
  }

  // ---------------------------------------------------------------- selection, evidence, focus

  select(id: string | null, opts: { center?: boolean } = {}): void {
    const cy = this.cy;
    cy.elements(':selected').unselect();
    const before = this.overview ? this.pins() : null;
    this.state.selected = id;
    // The overview draws the selected node's evidence path node by node: redraw when it changes
    // which grouped nodes stand alone.
    if (before && this.overview) {
      const grouped = this.overview.groupOf;
      const after = this.pins();
      if ([...before, ...after].some((p) => grouped.has(p) && before.has(p) !== after.has(p))) this.redrawOverview();
    }
    if (id) {
      const el = cy.getElementById(id);
      if (el.nonempty()) {
        el.select();
        if (opts.center) cy.animate({ center: { eles: el }, zoom: Math.max(cy.zoom(), 0.8) }, { duration: 250 });
      }
    }
    void renderDetails(this, id);
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
    markFocusedCustomer(this.els['customer-list']!, id);
    const customer = id && this.result ? this.result.customers.find((c) => c.id === id) : undefined;
    if (!customer) {
      this.setHighlight(null);
    } else {
      this.setHighlight(customerPaths(customer, this.drawn?.alias));
      const el = this.cy.getElementById(id!);
      this.cy.elements(':selected').unselect();
      if (el.nonempty()) el.select();
      this.state.selected = id;
      void renderDetails(this, id);
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
      this.overview = null;
      for (const n of g.nodes) if (!this.nodesById.has(n.id)) this.nodesById.set(n.id, n);
      this.ensureRenderer(g.nodes.length);
      this.cy.startBatch();
      this.cy.elements().remove();
      this.cy.add(toElements(g));
      this.cy.endBatch();
      this.cy.getElementById(center).addClass('seed');
      this.cy.layout(forceLayout()).run();
      this.player.load(null);
      this.applyFilters();
      updateTimelineControls(this);
      this.renderReached();
      this.select(this.state.selected ?? center);
      this.showOverlay(null);
      await this.afterRender();
      this.metrics.drawnAt = performance.now();
      this.player.resolveWaiters();
      this.announce(`Neighbourhood of ${center}: ${g.nodes.length} nodes${hood.truncated ? ' (truncated)' : ''}.`);
    } catch (err) {
      if (gen === this.loadGen) this.showOverlay('error', describeError(err));
    }
  }

  openNeighborhood(id: string): void {
    this.state.view = 'neighborhood';
    this.state.center = id;
    this.state.selected = id;
    this.pushUrl(true);
    syncControls(this);
    void this.showNeighborhood(id, this.state.depth);
  }

  // ---------------------------------------------------------------- seeds

  addSeed(id: string, info?: SeedInfo): void {
    if (info) this.seedInfo.set(id, info);
    if (!this.state.seeds.includes(id)) this.state.seeds.push(id);
    renderSeeds(this);
  }

  removeSeed(id: string): void {
    this.state.seeds = this.state.seeds.filter((s) => s !== id);
    renderSeeds(this);
  }

  seedAndWalk(id: string, opts: { keepSeeds?: boolean } = {}): void {
    const info = this.nodesById.get(id);
    if (info && info.kind !== 'Group') this.seedInfo.set(id, { kind: info.kind, name: info.name });
    this.state.seeds = opts.keepSeeds ? [...new Set([...this.state.seeds, id])] : [id];
    this.state.view = 'walk';
    this.state.center = null;
    this.state.t = null;
    this.state.focus = null;
    renderSeeds(this);
    void this.walk();
  }

  // ---------------------------------------------------------------- panels, overlay, status

  renderCustomers(): void {
    renderCustomers({ list: this.els['customer-list']!, count: this.els['customer-count']! }, this.result, this.state.focus, (id) => this.focusCustomer(id));
  }

  renderReached(): void {
    renderReached({ list: this.els['reached-list']!, count: this.els['reached-count']! }, this.drawn, (id) => this.select(id, { center: true }));
  }

  showOverlay(kind: OverlayKind, err?: ErrorView): void {
    renderOverlay(this.els.overlay!, kind, { view: this.state.view, error: err ?? this.lastError, retry: () => void this.load() });
  }

  announce(text: string): void {
    this.els.announcer!.textContent = text;
  }

  private setBusy(busy: boolean): void {
    (this.els['walk-button'] as HTMLButtonElement).disabled = busy;
    this.els.graph!.setAttribute('aria-busy', String(busy));
  }

  pushUrl(push: boolean): void {
    const url = `${location.pathname}${serializeViewState(this.state)}${location.hash}`;
    if (url === `${location.pathname}${location.search}${location.hash}`) return;
    if (push) history.pushState(null, '', url);
    else history.replaceState(null, '', url);
  }

  // ---------------------------------------------------------------- for tests and benchmarks

  /** The drawn, visible elements (not yet reached at the scrubber's instant or filtered out: left out). */
  visibleIds(): { nodes: Set<string>; edges: Set<string> } {
    return visibleIds(this.cy);
  }

  /** Highlighted element ids. */
  highlighted(): { nodes: string[]; edges: string[] } {
    return {
      nodes: this.cy.nodes('.highlight').map((n) => n.id()).sort(),
      edges: this.cy.edges('.highlight').map((e) => e.id()).sort(),
    };
  }
}
