/**
 * The Cytoscape stylesheet: shape, colour and icon per kind, edge line by confidence, seeds, the
 * evidence highlight, dimming, and the classes the explorer toggles (`future` for what the walk has
 * not reached yet at the scrubber's instant, `filtered` for what the filters hide).
 */
import type { StylesheetJson } from 'cytoscape';
import { KIND_VISUALS, PALETTES, type ColorScheme } from './kind-visuals.js';

export interface StyleOptions {
  /**
   * Light or dark colours (the page follows `prefers-color-scheme`).
   * @default 'light'
   */
  scheme?: ColorScheme;
  /**
   * Draw kind icons inside nodes (same-origin SVG files named in each node's `icon` data, relative to
   * the page). Off in headless unit tests and for very large graphs.
   * @default true
   */
  icons?: boolean;
  /**
   * Labels smaller than this on screen (px) are not drawn: labels vanish when zoomed out, which keeps
   * big graphs fast and readable.
   * @default 7
   */
  minZoomedFontSize?: number;
  /**
   * Edge curve. `bezier` separates parallel edges; `straight` is cheaper for very large graphs.
   * @default 'bezier'
   */
  curveStyle?: 'bezier' | 'straight' | 'haystack';
  /**
   * Node diameter in model px.
   * @default 26
   */
  nodeSize?: number;
  /**
   * Where labels sit: `right` of the node suits left-to-right layers (walks), `bottom` suits force
   * layouts (neighbourhoods).
   * @default 'right'
   */
  labelSide?: 'right' | 'bottom';
  /**
   * Edges react to the pointer (hover tooltip, click). Off for very large graphs: Cytoscape hit-tests
   * every interactive element on each mouse move, and edges are the costly ones.
   * @default true
   */
  edgeEvents?: boolean;
  /**
   * Lean: only the properties a large graph needs. Cytoscape does bookkeeping per element per
   * applied property (it re-walks each element's edges), so at 5,000 nodes every property in the
   * base blocks costs; lean mode drops label boxes and icon placement and keeps the rest.
   * @default false
   */
  lean?: boolean;
}

export function buildStylesheet(options: StyleOptions = {}): StylesheetJson {
  const scheme = options.scheme ?? 'light';
  const p = PALETTES[scheme];
  const icons = options.icons ?? true;
  const size = options.nodeSize ?? 26;
  const right = (options.labelSide ?? 'right') === 'right';
  const curve = options.curveStyle ?? 'bezier';
  const color = scheme === 'dark' ? 'data(colorDark)' : 'data(colorLight)';
  const lean = options.lean ?? false;
  const edgeText = {
    'font-size': 9,
    color: p.text,
    'text-rotation': 'autorotate',
    'text-background-color': p.background,
    'text-background-opacity': 0.85,
    'text-background-padding': '2px',
  } as const;
  const sheet: StylesheetJson = [
    {
      // Shape, colour and icon come from each element's data (view-graph.ts nodeVisualData).
      // Properties at Cytoscape's defaults are left out (each one listed costs at 5,000 nodes).
      selector: 'node',
      style: {
        width: size,
        height: size,
        shape: 'data(shape)' as never,
        'background-color': color,
        ...(icons && { 'background-image': 'data(icon)', 'background-width': '58%', 'background-height': '58%', 'background-clip': 'none' }),
        label: 'data(label)',
        'font-size': 11,
        'font-family': 'system-ui, "DejaVu Sans", sans-serif',
        color: p.text,
        ...(right ? { 'text-valign': 'center', 'text-halign': 'right', 'text-margin-x': 4 } : { 'text-valign': 'bottom', 'text-margin-y': 3 }),
        // A label box rather than an outline: in left-to-right layers edges leave a node on the
        // label's side, and a box keeps them from striking through the text. Labels are already cut
        // to length (view-graph.ts shortLabel), so no wrapping or ellipsis measuring.
        ...(!lean && { 'text-background-color': p.background, 'text-background-opacity': 0.85, 'text-background-padding': '1px' }),
        'min-zoomed-font-size': options.minZoomedFontSize ?? 7,
      },
    },
    // Where it ends and where it starts are always labelled, whatever the zoom.
    { selector: 'node[kind = "Customer"]', style: { width: size * 1.2, height: size * 1.2, 'font-weight': 'bold', 'font-size': 18, 'min-zoomed-font-size': 0 } },
    {
      // A package's versions gathered in a compound parent.
      selector: 'node[kind = "Group"]',
      style: {
        shape: 'round-rectangle',
        'background-color': p.groupFill,
        'background-opacity': 0.6,
        'background-image': 'none',
        'border-width': 1.5,
        'border-style': 'dashed',
        'border-color': p.groupBorder,
        'text-valign': 'top',
        'text-halign': 'center',
        'text-margin-x': 0,
        'text-margin-y': -3,
        padding: '8px',
      },
    },
    {
      // A package collapsed into one node: drawn like a package, labelled with its version count.
      selector: 'node.collapsed',
      style: {
        shape: KIND_VISUALS.Package.shape,
        'background-color': KIND_VISUALS.PackageVersion.color[scheme],
        'background-opacity': 1,
        'border-width': 3,
        'border-style': 'double',
        'border-color': KIND_VISUALS.Package.color[scheme],
        'text-valign': right ? 'center' : 'bottom',
        ...(icons && { 'background-image': KIND_VISUALS.Package.icon }),
      },
    },
    {
      // An overview group (overview.ts): its kind's shape and colour, larger, with a double ring;
      // the label carries the member count.
      selector: 'node.group',
      style: { width: size * 1.6, height: size * 1.6, 'border-width': 4, 'border-style': 'double', 'border-color': p.groupBorder, 'font-weight': 'bold' },
    },
    {
      selector: 'node.seed',
      style: { width: size * 1.45, height: size * 1.45, 'border-width': 4, 'border-color': p.seed, 'font-weight': 'bold', 'font-size': 18, 'min-zoomed-font-size': 0 },
    },
    { selector: 'node.context', style: { opacity: 0.55, 'border-width': 1.5, 'border-style': 'dashed', 'border-color': p.edge } },
    {
      // Line style, width and opacity by confidence come from data (view-graph.ts edgeVisualData):
      // solid confirmed, dashed likely, dotted possible; weaker is also thinner and fainter, which
      // survives renderers that draw every line solid (WebGL).
      selector: 'edge',
      style: {
        'curve-style': curve,
        width: 'data(lineWidth)',
        'line-style': 'data(lineStyle)' as never,
        'line-dash-pattern': [6, 4],
        opacity: 'data(lineOpacity)' as never,
        'line-color': p.edge,
        'target-arrow-color': p.edge,
        ...(curve !== 'haystack' && { 'target-arrow-shape': 'triangle', 'arrow-scale': 0.9 }),
        ...(options.edgeEvents === false && { events: 'no' }),
      },
    },
    { selector: 'edge[lineStyle = "dotted"]', style: { 'line-dash-pattern': [2, 4] } },
    { selector: 'edge.context', style: { opacity: 0.45 } },
    { selector: '.dimmed', style: { opacity: p.dim } },
    {
      selector: 'node.highlight',
      style: { 'border-width': 5, 'border-color': p.highlight, 'border-style': 'solid', opacity: 1, 'z-index': 20 },
    },
    {
      selector: 'edge.highlight',
      style: {
        width: 5,
        'line-color': p.highlight,
        'target-arrow-color': p.highlight,
        opacity: 1,
        label: 'data(kind)',
        ...edgeText,
        'z-index': 20,
      },
    },
    { selector: 'node:selected', style: { 'border-width': 5, 'border-color': p.selected, 'border-style': 'solid', opacity: 1 } },
    { selector: 'edge:selected', style: { 'line-color': p.selected, 'target-arrow-color': p.selected, opacity: 1, label: 'data(kind)', ...edgeText } },
    // Last, so nothing above can show them again.
    { selector: '.future', style: { display: 'none' } },
    { selector: '.filtered', style: { display: 'none' } },
  ];
  return sheet;
}
