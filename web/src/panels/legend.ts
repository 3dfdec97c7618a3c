/** The legend: each kind's shape, colour and icon; each confidence's line; seeds and highlights. */
import { CONFIDENCE_VISUALS, KIND_VISUALS, PALETTES, type ColorScheme, type KindVisual } from '../kind-visuals.js';
import { CONFIDENCES, NODE_KINDS } from '../types.js';
import { h, s } from '../ui/dom.js';

const SHAPES: Record<KindVisual['shape'], string> = {
  ellipse: 'M12 2a10 10 0 1 0 0.01 0z',
  'round-rectangle': 'M5 3h14a3 3 0 0 1 3 3v12a3 3 0 0 1-3 3H5a3 3 0 0 1-3-3V6a3 3 0 0 1 3-3z',
  diamond: 'M12 1 23 12 12 23 1 12z',
  hexagon: 'M6.5 2.5h11L23 12l-5.5 9.5h-11L1 12z',
  'round-triangle': 'M12 2.5 22.5 21h-21z',
  barrel: 'M4 3h16q3 9 0 18H4Q1 12 4 3z',
  'round-pentagon': 'M12 1.5 22.5 9l-4 12.5h-13L1.5 9z',
  'round-octagon': 'M8 1.5h8L22.5 8v8L16 22.5H8L1.5 16V8z',
  'round-tag': 'M2 4h14l6 8-6 8H2z',
};

function swatch(visual: KindVisual, scheme: ColorScheme): SVGSVGElement {
  return s(
    'svg',
    { viewBox: '0 0 24 24', width: 22, height: 22, 'aria-hidden': 'true', class: 'legend-swatch' },
    s('path', { d: SHAPES[visual.shape], fill: visual.color[scheme] }),
  );
}

function line(style: 'solid' | 'dashed' | 'dotted', width: number, color: string): SVGSVGElement {
  const dash = style === 'dashed' ? '6 4' : style === 'dotted' ? '1.5 3.5' : '';
  return s(
    'svg',
    { viewBox: '0 0 40 10', width: 40, height: 10, 'aria-hidden': 'true', class: 'legend-line' },
    s('line', { x1: 1, y1: 5, x2: 39, y2: 5, stroke: color, 'stroke-width': width, ...(dash ? { 'stroke-dasharray': dash } : {}), 'stroke-linecap': 'round' }),
  );
}

export function renderLegend(container: HTMLElement, scheme: ColorScheme): void {
  const p = PALETTES[scheme];
  const kinds = h('ul', { class: 'legend-list', 'aria-label': 'Node kinds' });
  for (const k of NODE_KINDS) {
    const v = KIND_VISUALS[k];
    kinds.append(h('li', {}, swatch(v, scheme), h('img', { src: v.icon, alt: '', class: 'legend-icon', width: 14, height: 14 }), h('span', {}, v.label)));
  }
  const edges = h('ul', { class: 'legend-list', 'aria-label': 'Edge confidence' });
  for (const c of CONFIDENCES) {
    const v = CONFIDENCE_VISUALS[c];
    edges.append(h('li', {}, line(v.lineStyle, v.width, p.edge), h('span', {}, `${v.label} (${v.lineStyle})`)));
  }
  const marks = h(
    'ul',
    { class: 'legend-list', 'aria-label': 'Marks' },
    h('li', {}, s('svg', { viewBox: '0 0 24 24', width: 22, height: 22, 'aria-hidden': 'true' }, s('circle', { cx: 12, cy: 12, r: 9, fill: 'none', stroke: p.seed, 'stroke-width': 3 })), h('span', {}, 'seed (where it starts)')),
    h('li', {}, line('solid', 4, p.highlight), h('span', {}, 'evidence path')),
  );
  container.replaceChildren(h('h3', {}, 'Kinds'), kinds, h('h3', {}, 'Edges (arrow: direction of compromise)'), edges, marks);
}
