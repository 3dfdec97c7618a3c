/**
 * The explorer's controls: filters, seeds and the Walk form, the timeline buttons and scrubber, view
 * and export buttons, the token form and the graph's keyboard keys. `wireControls` connects them once;
 * `syncControls` and `updateTimelineControls` redraw them from the state.
 */
import { describeError } from './describe-error.js';
import type { Explorer } from './explorer.js';
import { downloadViewCsv, downloadViewJson, exportPng, exportReport } from './exports.js';
import { KIND_VISUALS } from './kind-visuals.js';
import { forceLayout } from './layouts.js';
import { fromLocalInput, toLocalInput } from './time-input.js';
import { NODE_KINDS, formatTime, type Confidence, type NodeKind } from './types.js';
import { h, replace, showTime } from './ui/dom.js';
import { attachSearchBox } from './ui/search-box.js';
import type { OverviewMode, WalkLayout } from './url-state.js';
import type { VersionMode } from './version-groups.js';

export function renderSeeds(ex: Explorer): void {
  const list = ex.els['seed-list']!;
  list.replaceChildren();
  if (ex.state.seeds.length === 0) list.append(h('li', { class: 'empty' }, 'none yet: search and pick'));
  for (const id of ex.state.seeds) {
    const name = ex.seedInfo.get(id)?.name;
    list.append(
      h(
        'li',
        { class: 'chip', title: id },
        h('span', {}, name && name !== id ? `${name}` : id),
        h('button', { type: 'button', 'aria-label': `Remove seed ${id}`, onclick: () => ex.removeSeed(id) }, '×'),
      ),
    );
  }
}

export function syncControls(ex: Explorer): void {
  const { els, state } = ex;
  renderSeeds(ex);
  (els['start-input'] as HTMLInputElement).value = toLocalInput(state.at);
  (els['conf-select'] as HTMLSelectElement).value = state.minConfidence;
  (els['hops-input'] as HTMLInputElement).value = state.maxHops === null ? '' : String(state.maxHops);
  (els['versions-select'] as HTMLSelectElement).value = state.versions;
  (els['overview-select'] as HTMLSelectElement).value = state.overview;
  (els['layout-select'] as HTMLSelectElement).value = state.layout;
  for (const box of Array.from(els['kind-filters']!.querySelectorAll('input'))) {
    box.checked = !state.hide.includes(box.value as NodeKind);
  }
}

export function updateTimelineControls(ex: Explorer): void {
  const { els, state, player } = ex;
  const tl = player.timeline;
  const scrub = els.scrubber as HTMLInputElement;
  const play = els['play-button'] as HTMLButtonElement;
  const back = els['step-back'] as HTMLButtonElement;
  const fwd = els['step-forward'] as HTMLButtonElement;
  const usable = Boolean(tl && tl.steps.length > 0 && state.view === 'walk');
  scrub.disabled = !usable;
  play.disabled = !usable || (tl?.steps.length ?? 0) < 2;
  back.disabled = !usable || player.step <= 0;
  fwd.disabled = !usable || !tl || player.step >= tl.steps.length - 1;
  play.classList.toggle('playing', player.playing);
  play.setAttribute('aria-label', player.playing ? 'Pause the walk' : 'Play the walk');
  play.setAttribute('aria-pressed', String(player.playing));
  const hood = state.view === 'neighborhood';
  const depth = els['depth-select'] as HTMLSelectElement;
  depth.hidden = !hood;
  (depth.previousElementSibling as HTMLElement).hidden = !hood;
  depth.value = String(state.depth);
  (els['back-to-walk'] as HTMLButtonElement).hidden = !hood || state.seeds.length === 0;
  const label = els['scrub-label']!;
  if (!tl || !usable) {
    scrub.max = '0';
    scrub.value = '0';
    label.textContent = state.view === 'neighborhood' ? 'Neighbourhood view (no timeline)' : '—';
    return;
  }
  scrub.max = String(tl.steps.length - 1);
  scrub.value = String(player.step);
  const st = tl.steps[player.step]!;
  const shown = player.shownUpTo[player.step] ?? 0;
  const when = st.t === null ? 'start' : showTime(formatTime(st.t));
  const total = player.total;
  label.textContent = `${when} · hop ${st.h} · ${shown} of ${total} nodes`;
  scrub.setAttribute('aria-valuetext', `${when}, hop ${st.h}, ${shown} nodes reached`);
}

/** Re-walks after a walk setting changed (a fresh walk shows its end), or only keeps the URL. */
function rewalk(ex: Explorer): void {
  if (ex.state.seeds.length) {
    ex.state.t = null;
    void ex.walk();
  } else ex.pushUrl(false);
}

export function wireControls(ex: Explorer): void {
  const els = ex.els;
  // Kind filters
  const kf = els['kind-filters']!;
  for (const k of NODE_KINDS) {
    const box = h('input', { type: 'checkbox', value: k, checked: true, id: `kind-${k}` });
    box.addEventListener('change', () => {
      const hide = new Set(ex.state.hide);
      if (box.checked) hide.delete(k);
      else hide.add(k);
      ex.state.hide = NODE_KINDS.filter((x) => hide.has(x));
      ex.applyFilters();
      ex.pushUrl(false);
    });
    kf.append(h('label', { for: `kind-${k}` }, box, h('span', { class: `kind-tag kind-${k}` }, KIND_VISUALS[k].tag), KIND_VISUALS[k].label));
  }
  els['conf-select']!.addEventListener('change', () => {
    ex.state.minConfidence = (els['conf-select'] as HTMLSelectElement).value as Confidence;
    rewalk(ex);
  });
  els['hops-input']!.addEventListener('change', () => {
    const raw = (els['hops-input'] as HTMLInputElement).value.trim();
    const n = Number(raw);
    ex.state.maxHops = raw === '' || !Number.isInteger(n) || n < 0 ? null : n;
    rewalk(ex);
  });
  els['versions-select']!.addEventListener('change', () => {
    ex.state.versions = (els['versions-select'] as HTMLSelectElement).value as VersionMode;
    ex.pushUrl(false);
    if (ex.state.view === 'walk' && ex.base) void ex.drawWalk({ play: false });
  });
  els['overview-select']!.addEventListener('change', () => {
    ex.state.overview = (els['overview-select'] as HTMLSelectElement).value as OverviewMode;
    ex.pushUrl(false);
    if (ex.state.view === 'walk' && ex.base) void ex.drawWalk({ play: false });
  });
  els['layout-select']!.addEventListener('change', () => {
    ex.state.layout = (els['layout-select'] as HTMLSelectElement).value as WalkLayout;
    ex.pushUrl(false);
    if (ex.state.view === 'walk' && ex.drawn) ex.layoutWalk();
  });
  // Seeds
  attachSearchBox({
    input: els['search-input'] as HTMLInputElement,
    listbox: els['search-results'] as HTMLUListElement,
    api: ex.api,
    onPick: (n) => {
      ex.addSeed(n.id, { kind: n.kind, name: n.name });
      ex.announce(`${n.name} added as a seed. Press Walk to start.`);
      (els['walk-button'] as HTMLButtonElement).focus();
    },
    onError: (err) => ex.announce(describeError(err).detail),
  });
  els['seed-form']!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (ex.state.seeds.length === 0) {
      ex.announce('Pick at least one seed first.');
      (els['search-input'] as HTMLInputElement).focus();
      return;
    }
    ex.state.at = fromLocalInput((els['start-input'] as HTMLInputElement).value);
    ex.state.t = null;
    ex.state.focus = null;
    ex.state.view = 'walk';
    ex.state.center = null;
    void ex.walk();
  });
  // Timeline
  const player = ex.player;
  els['play-button']!.addEventListener('click', () => (player.playing ? player.pause() : player.play()));
  els['step-back']!.addEventListener('click', () => {
    player.pause();
    player.setStep(player.step - 1);
  });
  els['step-forward']!.addEventListener('click', () => {
    player.pause();
    player.setStep(player.step + 1);
  });
  els.scrubber!.addEventListener('input', () => {
    // Read first: pause() redraws the controls, scrubber value included.
    const index = Number((els.scrubber as HTMLInputElement).value);
    player.pause();
    player.setStep(index);
  });
  els['depth-select']!.addEventListener('change', () => {
    ex.state.depth = Number((els['depth-select'] as HTMLSelectElement).value) || 1;
    ex.pushUrl(false);
    if (ex.state.center) void ex.showNeighborhood(ex.state.center, ex.state.depth);
  });
  els['back-to-walk']!.addEventListener('click', () => ex.backToWalk());
  // View
  els['fit-button']!.addEventListener('click', () => ex.cy.fit(undefined, 30));
  els['relayout-button']!.addEventListener('click', () => {
    if (ex.state.view === 'neighborhood') ex.cy.layout(forceLayout()).run();
    else ex.layoutWalk();
  });
  els['clear-highlight']!.addEventListener('click', () => ex.focusCustomer(null));
  // Export
  els['export-report']!.addEventListener('click', () => void exportReport(ex));
  els['export-png']!.addEventListener('click', () => void exportPng(ex));
  els['export-json']!.addEventListener('click', () => downloadViewJson(ex));
  els['export-csv']!.addEventListener('click', () => downloadViewCsv(ex));
  els['copy-link']!.addEventListener('click', () => {
    void navigator.clipboard?.writeText(location.href).then(
      () => ex.announce('Link copied.'),
      () => ex.announce(location.href),
    );
  });
  // Token
  const tokenInput = els['token-input'] as HTMLInputElement;
  els['token-form']!.addEventListener('submit', (ev) => {
    ev.preventDefault();
    ex.session.save(tokenInput.value.trim() || null);
    tokenInput.value = '';
    void ex.checkViewer().then(() => {
      if (ex.session.role) (els.auth as HTMLDetailsElement).open = false;
      if (ex.lastError?.code === 'UNAUTHENTICATED') return ex.load();
      return undefined;
    });
  });
  els['token-clear']!.addEventListener('click', () => {
    ex.session.forget();
    replace(els['auth-info']!, 'Token forgotten.');
  });
  // Keyboard on the graph: pan, zoom, fit, clear.
  els.graph!.addEventListener('keydown', (ev) => {
    const cy = ex.cy;
    const step = 60;
    const zoomBy = (f: number) => cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
    const keys: Record<string, () => void> = {
      ArrowLeft: () => cy.panBy({ x: step, y: 0 }),
      ArrowRight: () => cy.panBy({ x: -step, y: 0 }),
      ArrowUp: () => cy.panBy({ x: 0, y: step }),
      ArrowDown: () => cy.panBy({ x: 0, y: -step }),
      '+': () => zoomBy(1.25),
      '=': () => zoomBy(1.25),
      '-': () => zoomBy(1 / 1.25),
      '0': () => cy.fit(undefined, 30),
      Escape: () => {
        ex.focusCustomer(null);
        ex.select(null);
      },
      ' ': () => (player.playing ? player.pause() : player.play()),
    };
    const f = keys[ev.key];
    if (f) {
      ev.preventDefault();
      f();
    }
  });
}
