/**
 * Layouts. A walk is drawn in layers from left to right, seeds first (cytoscape-dagre, rankDir LR);
 * a neighbourhood with Cytoscape's built-in force layout (cose). Past `dagreMaxNodes` nodes dagre's
 * network-simplex ranking is too slow to stay interactive, so the walk switches to `hopColumns`, a
 * linear-time layered layout: one column per hop, each column ordered by its parents' positions
 * (one barycentre sweep) then by time.
 */
import type { EdgeSingular, LayoutOptions, Position } from 'cytoscape';
import { compareTime } from './blast-elements.js';
import type { ViewGraph } from './view-graph.js';

export interface LayeredOptions {
  /**
   * Gap between nodes in one layer (px).
   * @default 10
   */
  nodeSep?: number;
  /**
   * Gap between layers (px); labels sit right of their node and are counted in its width.
   * @default 36
   */
  rankSep?: number;
  /**
   * Animate into place.
   * @default false
   */
  animate?: boolean;
  /**
   * Fit the viewport to the graph afterwards.
   * @default true
   */
  fit?: boolean;
  /**
   * Padding around the fitted graph (px).
   * @default 30
   */
  padding?: number;
  /**
   * How strongly dagre keeps an edge short (network-simplex ranking).
   * @default 1 for every edge
   */
  edgeWeight?: (edge: EdgeSingular) => number;
}

/** cytoscape-dagre options for a walk: layers left to right from the seeds. */
export function layeredLayout(options: LayeredOptions = {}): LayoutOptions {
  return {
    name: 'dagre',
    rankDir: 'LR',
    nodeSep: options.nodeSep ?? 10,
    rankSep: options.rankSep ?? 36,
    edgeSep: 6,
    ranker: 'network-simplex',
    animate: options.animate ?? false,
    fit: options.fit ?? true,
    padding: options.padding ?? 30,
    nodeDimensionsIncludeLabels: true,
    ...(options.edgeWeight && { edgeWeight: options.edgeWeight }),
  } as LayoutOptions;
}

export interface ForceOptions {
  /**
   * Animate the simulation (slower, nicer for small neighbourhoods).
   * @default false
   */
  animate?: boolean;
  /**
   * Ideal edge length (px).
   * @default 90
   */
  idealEdgeLength?: number;
  /**
   * Repulsion between nodes.
   * @default 8000
   */
  nodeRepulsion?: number;
  /**
   * Seed for cose's randomised start, for repeatable pictures.
   * @default true (randomize: false keeps current positions as the start)
   */
  randomize?: boolean;
  /**
   * @default true
   */
  fit?: boolean;
}

/** Cytoscape's built-in force-directed layout (cose), for neighbourhoods. */
export function forceLayout(options: ForceOptions = {}): LayoutOptions {
  return {
    name: 'cose',
    animate: options.animate ?? false,
    randomize: options.randomize ?? true,
    fit: options.fit ?? true,
    padding: 30,
    idealEdgeLength: () => options.idealEdgeLength ?? 90,
    nodeRepulsion: () => options.nodeRepulsion ?? 8000,
    nodeOverlap: 12,
    componentSpacing: 60,
    nestingFactor: 1.2,
    gravity: 0.6,
    numIter: 1000,
    nodeDimensionsIncludeLabels: true,
  } as LayoutOptions;
}

export interface ColumnsOptions {
  /**
   * Horizontal distance between hop columns (px).
   * @default 220
   */
  columnGap?: number;
  /**
   * Vertical distance between nodes in a column (px).
   * @default 46
   */
  rowGap?: number;
  /**
   * Tallest column, in nodes: a bigger hop is spread over several side-by-side sub-columns (filled
   * row by row, so the vertical order is kept) to keep the picture's aspect ratio usable.
   * @default 40
   */
  maxRows?: number;
  /**
   * Horizontal distance between sub-columns (px).
   * @default 90
   */
  subColumnGap?: number;
}

/**
 * Positions for a walk, in columns (seeds in column 0, every edge pointing right: a node's column is
 * the longest path to it, as dagre's ranking would give). Within a column nodes follow the
 * mean row of the nodes they were reached from, then their time, then id: close to dagre's picture
 * for trees, in O(N log N). Compound parents get no position (Cytoscape fits them to their children).
 */
export function hopColumns(graph: ViewGraph, options: ColumnsOptions = {}): Map<string, Position> {
  const colGap = options.columnGap ?? 220;
  const rowGap = options.rowGap ?? 46;
  const maxRows = Math.max(1, options.maxRows ?? 40);
  const subGap = options.subColumnGap ?? 90;
  const isParent = new Set(graph.nodes.filter((n) => n.parent !== undefined).map((n) => n.parent!));
  const nodes = graph.nodes.filter((n) => !isParent.has(n.id));
  const parentsOf = new Map<string, string[]>();
  for (const e of graph.edges) {
    const list = parentsOf.get(e.to) ?? [];
    list.push(e.from);
    parentsOf.set(e.to, list);
  }
  const columns = new Map<number, typeof nodes>();
  const rank = longestPathRanks(nodes, graph.edges);
  for (const n of nodes) {
    const col = rank.get(n.id) ?? (n.seed ? 0 : Math.max(1, n.hops));
    const list = columns.get(col) ?? [];
    list.push(n);
    columns.set(col, list);
  }
  const row = new Map<string, number>();
  const positions = new Map<string, Position>();
  let x = 0;
  for (const col of [...columns.keys()].sort((a, b) => a - b)) {
    const list = columns.get(col)!;
    const bary = new Map<string, number>();
    for (const n of list) {
      const rows = (parentsOf.get(n.id) ?? []).map((p) => row.get(p)).filter((r): r is number => r !== undefined);
      bary.set(n.id, rows.length ? rows.reduce((a, b) => a + b, 0) / rows.length : Number.POSITIVE_INFINITY);
    }
    list.sort((a, b) => bary.get(a.id)! - bary.get(b.id)! || compareTime(a.t, b.t) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const subs = Math.ceil(list.length / maxRows);
    const rows = Math.ceil(list.length / subs);
    const offset = (rows - 1) / 2;
    list.forEach((n, i) => {
      const r = Math.floor(i / subs) - offset;
      row.set(n.id, r);
      positions.set(n.id, { x: x + (i % subs) * subGap, y: r * rowGap });
    });
    x += (subs - 1) * subGap + colGap;
  }
  return positions;
}

/**
 * Longest-path layering (Kahn's algorithm, O(N + E)): seeds and sources 0, every other node one more
 * than its furthest predecessor. A walk's drawn graph is acyclic (the evidence tree plus edges into
 * customers, which pass nothing on); should grouping ever make a cycle, its nodes keep their hop count.
 */
export function longestPathRanks(nodes: ReadonlyArray<{ id: string; seed: boolean; hops: number }>, edges: ReadonlyArray<{ from: string; to: string }>): Map<string, number> {
  const ids = new Set(nodes.map((n) => n.id));
  const indegree = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  const out = new Map<string, string[]>();
  for (const e of edges) {
    if (!ids.has(e.from) || !ids.has(e.to) || e.from === e.to) continue;
    indegree.set(e.to, indegree.get(e.to)! + 1);
    const list = out.get(e.from) ?? [];
    list.push(e.to);
    out.set(e.from, list);
  }
  const rank = new Map<string, number>();
  const queue: string[] = [];
  for (const n of nodes) {
    if (indegree.get(n.id) === 0) {
      rank.set(n.id, 0);
      queue.push(n.id);
    }
  }
  for (let i = 0; i < queue.length; i++) {
    const u = queue[i]!;
    for (const v of out.get(u) ?? []) {
      rank.set(v, Math.max(rank.get(v) ?? 0, rank.get(u)! + 1));
      const d = indegree.get(v)! - 1;
      indegree.set(v, d);
      if (d === 0) queue.push(v);
    }
  }
  for (const n of nodes) if (indegree.get(n.id)! > 0) rank.set(n.id, n.seed ? 0 : Math.max(1, n.hops));
  return rank;
}

/**
 * Which layered layout a walk of `nodeCount` nodes gets.
 * @param dagreMaxNodes above this, `hopColumns`. @default 500
 */
export function chooseLayered(nodeCount: number, dagreMaxNodes = 500): 'dagre' | 'columns' {
  return nodeCount <= dagreMaxNodes ? 'dagre' : 'columns';
}

export interface LanesOptions {
  /**
   * Width of the time axis from the earliest to the latest first exposure (px).
   * @default 2400
   */
  width?: number;
  /**
   * Horizontal slot (px): nodes whose times fall in one slot of a lane stack vertically.
   * @default 60
   */
  slot?: number;
  /**
   * Gap between stacked nodes, and between lanes (px).
   * @default 40
   */
  rowGap?: number;
}

const LANE_ORDER = ['Advisory', 'PackageVersion', 'Package', 'Service', 'Credential', 'Dataset', 'Customer', 'Incident', 'Group'] as const;

/**
 * The time-lane layout: x is the first exposure (linear in time; unknown times, the seeds' "as early
 * as possible", at the left edge before the axis), y is one lane per kind, in the order the
 * compromise usually travels. Nodes close in time in one lane stack in that slot. O(N), computed once
 * per drawn graph.
 */
export function timeLanes(graph: ViewGraph, options: LanesOptions = {}): Map<string, Position> {
  const width = options.width ?? 2400;
  const slot = Math.max(1, options.slot ?? 60);
  const rowGap = options.rowGap ?? 40;
  const isParent = new Set(graph.nodes.filter((n) => n.parent !== undefined).map((n) => n.parent!));
  const nodes = graph.nodes.filter((n) => !isParent.has(n.id));
  let lo = Infinity;
  let hi = -Infinity;
  for (const n of nodes) {
    if (n.t === null) continue;
    lo = Math.min(lo, n.t);
    hi = Math.max(hi, n.t);
  }
  const span = hi > lo ? hi - lo : 1;
  const xOf = (t: number | null) => (t === null || !Number.isFinite(lo) ? 0 : slot * 2 + Math.round(((t - lo) / span) * width));
  // Per lane, per slot: how many nodes are stacked there so far.
  const lanes = new Map<string, Map<number, number>>();
  const placed: Array<{ id: string; lane: string; x: number; row: number }> = [];
  const sorted = [...nodes].sort((a, b) => compareTime(a.t, b.t) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (const n of sorted) {
    const lane = n.kind;
    const x = xOf(n.t);
    const s = Math.floor(x / slot);
    const stacks = lanes.get(lane) ?? new Map<number, number>();
    lanes.set(lane, stacks);
    const row = stacks.get(s) ?? 0;
    stacks.set(s, row + 1);
    placed.push({ id: n.id, lane, x, row });
  }
  const laneTop = new Map<string, number>();
  let y = 0;
  for (const lane of LANE_ORDER) {
    const stacks = lanes.get(lane);
    if (!stacks) continue;
    laneTop.set(lane, y);
    y += (Math.max(...stacks.values()) + 1) * rowGap;
  }
  const positions = new Map<string, Position>();
  for (const p of placed) positions.set(p.id, { x: p.x, y: laneTop.get(p.lane)! + p.row * rowGap });
  return positions;
}
