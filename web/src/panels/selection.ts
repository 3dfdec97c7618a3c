/**
 * The selection panel: the selected node's facts, "Why is this affected?" (its evidence path, hop by
 * hop with each hop's recorded sources), its properties and sources, the actions from it (expand,
 * neighbourhood, walk from here) and the form that marks it compromised.
 */
import { describeError } from '../describe-error.js';
import type { Explorer } from '../explorer.js';
import { KIND_VISUALS } from '../kind-visuals.js';
import { kindOfId, type ApiNode, type Json } from '../types.js';
import { h, replace, showTime } from '../ui/dom.js';
import type { OverviewGroup } from '../overview.js';
import { edgeVisualData, shortLabel } from '../view-graph.js';
import { fromLocalInput } from '../time-input.js';

export async function renderDetails(ex: Explorer, id: string | null): Promise<void> {
  const body = ex.els['details-body']!;
  if (!id) {
    replace(body, h('p', { class: 'hint' }, 'Click a node, or pick one from the reached list.'));
    return;
  }
  const group = ex.overview?.groups.get(id);
  if (group) {
    replace(body, ...groupDetails(ex, group));
    return;
  }
  const v = ex.nodesById.get(id);
  const affected = ex.result?.affected.find((a) => a.id === id);
  const isSeed = ex.result?.seeds.some((s) => s.id === id) ?? false;
  const kind = v?.kind ?? affected?.kind ?? kindOfId(id) ?? undefined;
  const head = h(
    'div',
    { class: 'details-head' },
    h('span', { class: `kind-tag kind-${kind ?? 'Group'}` }, kind === 'Group' || !kind ? 'PKGS' : KIND_VISUALS[kind].tag),
    h('span', { class: 'details-name' }, v?.name ?? affected?.name ?? id),
  );
  const facts = h('dl', { class: 'props' }, h('dt', {}, 'id'), h('dd', {}, id));
  const addFact = (k: string, value: string) => facts.append(h('dt', {}, k), h('dd', {}, value));
  if (isSeed) addFact('seed', `compromise starts ${showTime(ex.result?.seeds.find((s) => s.id === id)?.at ?? null)}`);
  if (affected) {
    addFact('first exposed', showTime(affected.firstExposedAt));
    addFact('hops', String(affected.hops));
    addFact('confidence', affected.confidence);
  } else if (!isSeed && v && !v.reached) addFact('walk', 'not reached (shown as context)');
  if (v?.members) addFact('versions', v.members.join(', '));
  const actions = h('div', { class: 'actions' });
  const whyBox = h('div', { id: 'why-box' });
  if (affected) {
    actions.append(h('button', { type: 'button', id: 'why-button', class: 'primary', onclick: () => renderWhy(ex, id, whyBox) }, 'Why is this affected?'));
  }
  if (kind !== 'Group') {
    actions.append(
      h('button', { type: 'button', onclick: () => void ex.expand(id) }, 'Expand neighbourhood'),
      h('button', { type: 'button', onclick: () => ex.openNeighborhood(id) }, 'Neighbourhood view'),
    );
    if (!isSeed) actions.append(h('button', { type: 'button', onclick: () => ex.seedAndWalk(id) }, 'Walk from here'));
  }
  const openGroup = ex.overview?.groups.get(ex.overview.groupOf.get(id) ?? '');
  if (openGroup?.expanded) {
    actions.append(h('button', { type: 'button', class: 'collapse-group', onclick: () => void ex.toggleGroup(openGroup.id, false) }, `Collapse ${shortLabel(openGroup.name, 40)}`));
  }
  const customer = ex.result?.customers.find((c) => c.id === id);
  const reasons = customer
    ? h(
        'div',
        {},
        h('h3', {}, 'Reasons'),
        h(
          'ul',
          { class: 'sources' },
          ...customer.reasons.map((r) => h('li', {}, `via ${ex.nodesById.get(r.via)?.name ?? r.via} (${r.via}), ${r.path.length} hops, ${showTime(r.path[r.path.length - 1]?.arrival ?? null)}`)),
        ),
      )
    : null;
  const more = h('div', { class: 'more' }, h('p', { class: 'hint' }, 'Loading properties…'));
  const mark = kind && kind !== 'Group' ? markForm(ex, id) : null;
  replace(body, head, facts, actions, whyBox, reasons, more, mark);
  if (kind === 'Group') {
    more.replaceChildren();
    return;
  }
  try {
    const node = await ex.api.node(id);
    if (ex.state.selected !== id) return;
    if (!node) {
      replace(more, h('p', { class: 'hint' }, 'Not in the graph.'));
      return;
    }
    replace(more, ...propsAndSources(node));
  } catch (err) {
    replace(more, h('p', { class: 'error-text' }, describeError(err).detail));
  }
}

/** Members listed in a group's panel; the rest are in the reached list once expanded, or the CSV. */
const GROUP_LIST_LIMIT = 50;

function groupDetails(ex: Explorer, g: OverviewGroup): Node[] {
  const facts = h(
    'dl',
    { class: 'props' },
    h('dt', {}, 'kind'),
    h('dd', {}, KIND_VISUALS[g.kind].label),
    h('dt', {}, g.kind === 'PackageVersion' ? 'package' : g.kind === 'Package' ? 'ecosystem' : 'owner'),
    h('dd', {}, g.owner || '(none in the ids)'),
    h('dt', {}, 'members'),
    h('dd', {}, String(g.members.length)),
    h('dt', {}, 'first exposed'),
    h('dd', {}, showTime(g.firstExposedAt)),
  );
  const toggle = h(
    'button',
    { type: 'button', id: 'group-toggle', class: 'primary', onclick: () => void ex.toggleGroup(g.id, !g.expanded) },
    g.expanded ? 'Collapse the group' : `Expand the group (${g.members.length} nodes)`,
  );
  const parent = g.parent ? ex.overview?.groups.get(g.parent) : undefined;
  const up = parent
    ? h('button', { type: 'button', class: 'collapse-group', onclick: () => void ex.toggleGroup(parent.id, false) }, `Collapse into ${shortLabel(parent.name, 40)}`)
    : null;
  const names = h('ul', { class: 'sources group-members' });
  for (const m of g.members.slice(0, GROUP_LIST_LIMIT)) {
    const n = ex.nodesById.get(m);
    names.append(h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => ex.select(m, { center: true }) }, n?.name ?? m), ' ', h('span', { class: 'hint' }, showTime(n?.firstExposedAt ?? null))));
  }
  if (g.members.length > GROUP_LIST_LIMIT) names.append(h('li', { class: 'empty' }, `… and ${g.members.length - GROUP_LIST_LIMIT} more`));
  return [
    h('div', { class: 'details-head' }, h('span', { class: `kind-tag kind-${g.kind}` }, KIND_VISUALS[g.kind].tag), h('span', { class: 'details-name' }, g.name)),
    facts,
    h('div', { class: 'actions' }, toggle, up),
    h('h3', {}, 'Earliest members'),
    names,
  ];
}

function formatJson(v: Json): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function propsAndSources(node: ApiNode): Node[] {
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

function renderWhy(ex: Explorer, id: string, box: HTMLElement): void {
  const path = ex.why(id);
  const name = (nid: string) => ex.nodesById.get(nid)?.name ?? nid;
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
  void ex.api.hopEdges(path).then(
    (edges) => {
      edges.forEach((edge, i) => {
        const srcs = (edge?.sources ?? []).map((s) => `${s.source}${s.pointer ? ` ${s.pointer}` : ''}`);
        replace(sourceLines[i]!, srcs.length ? `source: ${srcs.join('; ')}` : 'source: not recorded');
        const hop = path[i]!;
        const drawn = ex.cy.getElementById(`${hop.from}|${hop.edge}|${hop.to}`);
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

function markForm(ex: Explorer, id: string): HTMLElement {
  const at = h('input', { type: 'datetime-local', step: '60', id: 'mark-at' });
  const adv = h('input', { type: 'text', id: 'mark-advisory', placeholder: 'osv:MAL-2026-2144 (optional)', spellcheck: 'false' });
  const msg = h('p', { class: 'hint', role: 'status' });
  const canWrite = ex.session.canWrite();
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
        await ex.api.markCompromised(id, fromLocalInput(at.value), adv.value.trim() || null);
        replace(msg, h('span', { class: 'ok-text' }, 'Marked. Re-walking with it as a seed…'));
        ex.seedAndWalk(id, { keepSeeds: true });
      } catch (err) {
        const d = describeError(err);
        replace(msg, h('span', { class: 'error-text' }, `${d.title}: ${d.detail}`));
        if (d.code === 'UNAUTHENTICATED') (ex.els.auth as HTMLDetailsElement).open = true;
      }
    })();
  });
  return form;
}
