/**
 * The start page, shown before any walk: what is marked compromised now (with its advisories and
 * since when), the open incidents, and the graph's size; one click walks from any of them. An empty
 * graph says how to ingest, with the CLI line to copy.
 */
import type { StartPageData } from '../api.js';
import { KIND_VISUALS } from '../kind-visuals.js';
import type { Json } from '../types.js';
import { h, showTime } from '../ui/dom.js';

/** The line a newcomer copies to fill an empty graph (the reference scenario ships with the repository). */
export const INGEST_LINE = 'npx blast ingest seed/reference/scenario.yaml';

export interface StartPageActions {
  /** When this browser last saw the start page (ISO), or null: incidents changed since are marked new. */
  lastLooked: string | null;
  /** Walks from these seeds (each with its own start, or null for its compromisedAt). */
  walk(seeds: Array<{ id: string; at: string | null }>): void;
  announce(text: string): void;
}

function advisories(props: Record<string, Json> | undefined): string[] {
  const v = props?.advisories;
  return Array.isArray(v) ? v.filter((a): a is string => typeof a === 'string') : [];
}

export function renderStartPage(data: StartPageData, actions: StartPageActions): HTMLElement {
  const card = h('div', { class: 'card start-page', id: 'start-page' });
  if (data.stats.totalNodes === 0) {
    const line = h('code', { class: 'cli-line', id: 'ingest-line' }, INGEST_LINE);
    card.append(
      h('h2', {}, 'The graph is empty'),
      h('p', {}, 'Ingest what you run and what you owe: SBOMs, lockfiles, OSV advisories, GitHub workflows, Kubernetes manifests or an inventory file. To try it with the reference incident:'),
      h(
        'div',
        { class: 'cli' },
        line,
        h(
          'button',
          {
            type: 'button',
            id: 'copy-ingest',
            onclick: () =>
              void navigator.clipboard?.writeText(INGEST_LINE).then(
                () => actions.announce('Command copied.'),
                () => actions.announce(INGEST_LINE),
              ),
          },
          'Copy',
        ),
      ),
      h('p', { class: 'hint' }, 'Then reload this page. `npx blast ingest FILE...` takes any supported format, detected from its content.'),
    );
    return card;
  }
  card.append(h('h2', {}, 'Where does it start?'));
  const { total, nodes } = data.compromised;
  const section = h('section', { 'aria-labelledby': 'start-compromised-h' }, h('h3', { id: 'start-compromised-h' }, `Marked compromised now (${total})`));
  if (nodes.length === 0) {
    section.append(h('p', { class: 'hint' }, 'Nothing is marked compromised. Search for a package version, CI action, credential or host above, pick it as a seed and press Walk.'));
  } else {
    const list = h('ul', { class: 'start-list', id: 'start-compromised' });
    for (const n of nodes) {
      const adv = advisories(n.props);
      list.append(
        h(
          'li',
          { 'data-id': n.id },
          h(
            'button',
            { type: 'button', class: 'start-item', 'aria-label': `Walk from ${n.name}`, onclick: () => actions.walk([{ id: n.id, at: null }]) },
            h('span', { class: `kind-tag kind-${n.kind}` }, KIND_VISUALS[n.kind].tag),
            h('span', { class: 'n' }, n.name),
            h('span', { class: 'meta' }, `since ${showTime(n.compromisedAt ?? null)}${adv.length ? ` · ${adv.join(', ')}` : ''}`),
          ),
        ),
      );
    }
    section.append(list);
    if (total > nodes.length) section.append(h('p', { class: 'hint' }, `… and ${total - nodes.length} more.`));
    if (nodes.length > 1) {
      section.append(h('button', { type: 'button', class: 'primary', id: 'walk-all-compromised', onclick: () => actions.walk(nodes.map((n) => ({ id: n.id, at: null }))) }, `Walk from all ${nodes.length}`));
    }
  }
  card.append(section);
  const inc = h('section', { 'aria-labelledby': 'start-incidents-h' }, h('h3', { id: 'start-incidents-h' }, `Open incidents (${data.incidents.length})`));
  if (data.incidents.length === 0) inc.append(h('p', { class: 'hint' }, 'No open incident.'));
  else {
    const list = h('ul', { class: 'start-list', id: 'start-incidents' });
    for (const i of data.incidents) {
      const fresh = actions.lastLooked !== null && Date.parse(i.updatedAt) > Date.parse(actions.lastLooked);
      list.append(
        h(
          'li',
          { 'data-id': i.id, class: fresh ? 'new' : '' },
          h(
            'button',
            { type: 'button', class: 'start-item', 'aria-label': `Walk incident ${i.name}`, onclick: () => actions.walk(i.seeds), disabled: i.seeds.length === 0 },
            h('span', { class: 'kind-tag kind-Incident' }, KIND_VISUALS.Incident.tag),
            h('span', { class: 'n' }, i.name, fresh ? h('span', { class: 'badge new-since' }, 'new since you last looked') : null),
            h('span', { class: 'meta' }, `${i.seeds.length} seed${i.seeds.length === 1 ? '' : 's'} · updated ${showTime(i.updatedAt)}`),
          ),
        ),
      );
    }
    inc.append(list);
  }
  card.append(
    inc,
    h('p', { class: 'hint' }, `The graph holds ${data.stats.totalNodes.toLocaleString('en')} nodes and ${data.stats.totalEdges.toLocaleString('en')} edges (${data.stats.store} store). Or search above for any node and pick it as a seed.`),
  );
  return card;
}
