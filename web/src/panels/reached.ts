/** The reached list: what is drawn, earliest first (the first 400; the rest by search or CSV). */
import { KIND_VISUALS } from '../kind-visuals.js';
import { h, showTime } from '../ui/dom.js';
import type { ViewGraph } from '../view-graph.js';

export interface ReachedPanel {
  list: HTMLElement;
  count: HTMLElement;
}

/** Longest list drawn; a longer one ends with a line saying how many more there are. */
const LIMIT = 400;

export function renderReached(panel: ReachedPanel, drawn: ViewGraph | null, onPick: (id: string) => void): void {
  const { list } = panel;
  list.replaceChildren();
  const nodes = (drawn?.nodes ?? []).filter((n) => !(n.kind === 'Group' && !n.members));
  panel.count.textContent = drawn ? `(${nodes.length})` : '';
  const sorted = [...nodes].sort((a, b) => (a.t ?? -Infinity) - (b.t ?? -Infinity) || a.hops - b.hops || (a.id < b.id ? -1 : 1));
  for (const n of sorted.slice(0, LIMIT)) {
    list.append(
      h(
        'li',
        {},
        h(
          'button',
          { type: 'button', onclick: () => onPick(n.id) },
          h('span', { class: `kind-tag kind-${n.kind}` }, n.kind === 'Group' ? 'PKGS' : KIND_VISUALS[n.kind].tag),
          h('span', { class: 'n' }, n.name),
          h('span', { class: 't' }, n.seed ? 'seed' : n.reached ? showTime(n.firstExposedAt).replace(' UTC', '') : 'context'),
        ),
      ),
    );
  }
  if (sorted.length > LIMIT) list.append(h('li', { class: 'empty' }, `… and ${sorted.length - LIMIT} more (use search, or export CSV)`));
}
