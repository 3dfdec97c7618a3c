/**
 * The incident day's panels: "Containment plan" (the cheapest actions that cut the chosen customers
 * off, for the walk on screen, at a time and with costs the person picks) and "Rotate first" (the
 * rotation queue of the same walk). Clicking an action or a credential selects its node; an action
 * also highlights its first cut path, a credential the path that reached it. Long lists are drawn a
 * page at a time ("Show more"). Results are announced (explorer.announce), errors are alerts.
 */
import { describeError, type ErrorView } from '../describe-error.js';
import { pathElements } from '../evidence.js';
import type { Explorer } from '../explorer.js';
import {
  actionText,
  firstCutPath,
  listText,
  nextShown,
  PAGE,
  parseCosts,
  plural,
  sparedText,
  type ContainmentPlan,
  type PlanAction,
  type RotationEntry,
  type RotationQueue,
} from '../incident-day.js';
import { fromLocalInput } from '../time-input.js';
import { h, replace, showTime } from '../ui/dom.js';

/**
 * The walk a panel's answer belongs to: seeds, start, options and the graph's snapshot (equal keys:
 * same answer; a re-walk after the graph changed is another walk).
 */
export function walkKey(ex: Explorer): string {
  const s = ex.state;
  return JSON.stringify([s.seeds, s.at, s.minConfidence, s.maxHops, ex.result?.snapshotId ?? null]);
}

function walkInput(ex: Explorer) {
  return {
    seeds: ex.state.seeds.map((id) => ({ id, at: ex.state.at })),
    options: { minConfidence: ex.state.minConfidence, maxHops: ex.state.maxHops },
  };
}

function errorCard(e: ErrorView): HTMLElement {
  return h('div', { class: 'panel-error', role: 'alert' }, h('strong', {}, e.title), h('p', {}, e.detail), h('p', { class: 'mono' }, e.code));
}

/** A name for an id: the walk's node or customer name, else the id. */
function namer(ex: Explorer): (id: string) => string {
  const customers = new Map((ex.result?.customers ?? []).map((c) => [c.id, c.name]));
  return (id) => {
    const n = ex.nodesById.get(id);
    return (n && n.kind !== 'Group' ? n.name : null) ?? customers.get(id) ?? ex.seedInfo.get(id)?.name ?? id;
  };
}

/**
 * Appends `items` to `list` a page at a time: the first page now, then a "Show more" button that
 * draws the next. Keeps a 15,000-action plan from building 15,000 rows at once.
 */
function renderPaged<T>(list: HTMLElement, items: readonly T[], row: (item: T, index: number) => HTMLElement, what: string): void {
  list.replaceChildren();
  let shown = 0;
  const more = h('li', { class: 'more' });
  const drawTo = (to: number, focus: boolean) => {
    const hadFocus = more.contains(document.activeElement);
    more.remove();
    const first = shown;
    for (let i = shown; i < to; i++) list.append(row(items[i]!, i));
    shown = to;
    if (shown < items.length) {
      const left = items.length - shown;
      replace(
        more,
        h('button', { type: 'button', class: 'show-more', onclick: () => drawTo(nextShown(shown, items.length), true) }, `Show ${Math.min(PAGE, left).toLocaleString('en-US')} more (${left.toLocaleString('en-US')} ${what} left)`),
      );
      list.append(more);
    }
    // The button that had the focus is gone: the keyboard goes on at the first new row.
    if (focus && hadFocus) (list.children[first]?.querySelector('button') ?? more.querySelector('button'))?.focus();
  };
  drawTo(nextShown(0, items.length), false);
}

/** A titled list of customer ids (named), paged. */
function customerBlock(ex: Explorer, id: string, title: string, ids: readonly string[], hint: string): HTMLElement {
  const name = namer(ex);
  const list = h('ul', { class: 'id-list', id });
  renderPaged(list, ids, (c) => h('li', { 'data-id': c, title: c }, name(c)), 'customers');
  return h('div', { class: 'plan-block' }, h('h3', {}, `${title} `, h('span', { class: 'count' }, `(${ids.length})`)), ids.length ? list : h('p', { class: 'hint' }, hint));
}

// ---------------------------------------------------------------- containment plan

export class PlanPanel {
  private plan: ContainmentPlan | null = null;
  private key: string | null = null;
  private gen = 0;
  private abort: AbortController | null = null;

  constructor(private readonly ex: Explorer) {}

  /** Connects the form (once). */
  wire(): void {
    const els = this.ex.els;
    els['plan-form']!.addEventListener('submit', (ev) => {
      ev.preventDefault();
      void this.compute();
    });
  }

  /** The walk changed: a plan computed for another walk is no longer shown. */
  walkChanged(): void {
    if (this.plan && this.key === walkKey(this.ex)) return;
    this.abort?.abort();
    this.gen++;
    this.plan = null;
    this.key = null;
    this.ex.els['plan-count']!.textContent = '';
    (this.ex.els['plan-button'] as HTMLButtonElement).disabled = this.ex.state.seeds.length === 0;
    replace(
      this.ex.els['plan-body']!,
      h('p', { class: 'hint' }, this.ex.state.seeds.length ? 'Compute the plan for the walk on screen.' : 'Walk from a seed first: the plan is for the walk on screen.'),
    );
  }

  async compute(): Promise<ContainmentPlan | null> {
    const ex = this.ex;
    const body = ex.els['plan-body']!;
    if (ex.state.seeds.length === 0) {
      replace(body, h('p', { class: 'hint' }, 'Walk from a seed first: the plan is for the walk on screen.'));
      return null;
    }
    const rawAt = (ex.els['plan-at'] as HTMLInputElement).value;
    const at = fromLocalInput(rawAt);
    if (rawAt && !at) {
      replace(body, errorCard({ title: 'Check the time', detail: `"${rawAt}" is not a time.`, code: 'BAD_INPUT' }));
      return null;
    }
    const parsed = parseCosts({
      rotate: (ex.els['plan-cost-rotate'] as HTMLInputElement).value,
      contain: (ex.els['plan-cost-contain'] as HTMLInputElement).value,
      revoke: (ex.els['plan-cost-revoke'] as HTMLInputElement).value,
    });
    if ('error' in parsed) {
      replace(body, errorCard({ title: 'Check the costs', detail: parsed.error, code: 'BAD_INPUT' }));
      return null;
    }
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const gen = ++this.gen;
    const key = walkKey(ex);
    const { seeds, options } = walkInput(ex);
    const button = ex.els['plan-button'] as HTMLButtonElement;
    button.disabled = true;
    body.setAttribute('aria-busy', 'true');
    replace(body, h('p', { class: 'hint busy' }, 'Computing the containment plan…'));
    try {
      const plan = await ex.api.containmentPlan(seeds, options, at, parsed.costs, abort.signal);
      if (gen !== this.gen) return null;
      this.plan = plan;
      this.key = key;
      this.render(plan);
      ex.announce(`Containment plan: ${plural(plan.actions.length, 'action')}, total cost ${plan.totalCost}.`);
      return plan;
    } catch (err) {
      if (gen !== this.gen || (err as Error).name === 'AbortError') return null;
      this.plan = null;
      ex.els['plan-count']!.textContent = '';
      replace(body, errorCard(describeError(err)));
      return null;
    } finally {
      if (gen === this.gen) {
        button.disabled = false;
        body.removeAttribute('aria-busy');
      }
    }
  }

  private render(plan: ContainmentPlan): void {
    const ex = this.ex;
    const name = namer(ex);
    ex.els['plan-count']!.textContent = `(${plural(plan.actions.length, 'action')})`;
    const spared = sparedText(plan, Date.now());
    const summary = h(
      'div',
      { class: 'plan-summary' },
      h('p', {}, 'Total cost ', h('strong', { id: 'plan-total' }, String(plan.totalCost)), ` · ${plural(plan.actions.length, 'action')} · acting at ${showTime(plan.at)}`),
      plan.customers.length === 0 && plan.actions.length === 0 ? h('p', { class: 'hint' }, 'Nothing left to cut off at that time: no chosen customer is reached later.') : null,
      spared ? h('p', { id: 'plan-spared', class: 'spared' }, spared) : null,
    );
    const actions = h('ol', { id: 'plan-actions', class: 'plan-actions' });
    renderPaged(actions, plan.actions, (a, i) => this.actionRow(a, i, name), 'actions');
    replace(
      ex.els['plan-body']!,
      summary,
      h('div', { class: 'plan-block' }, h('h3', {}, 'Actions'), plan.actions.length ? actions : h('p', { class: 'hint' }, 'No action needed.')),
      customerBlock(ex, 'plan-customers', 'Cut off', plan.customers, 'None.'),
      customerBlock(ex, 'plan-already', 'Already reached by then', plan.alreadyReached, 'None: every chosen customer is reached later.'),
      customerBlock(ex, 'plan-unprotectable', 'Unprotectable', plan.unprotectable, 'None.'),
    );
  }

  private actionRow(a: PlanAction, index: number, name: (id: string) => string): HTMLElement {
    return h(
      'li',
      { 'data-node': a.node, 'data-action': a.action, 'data-edge': a.edge ?? undefined, 'data-index': index },
      h(
        'button',
        { type: 'button', class: 'plan-action', 'aria-label': `${actionText(a, name)}: select it in the graph`, onclick: (ev: Event) => this.openAction(a, ev.currentTarget as HTMLElement) },
        h('div', { class: 'name' }, h('span', { class: `badge action-${a.action}` }, a.action), ' ', actionText(a, name), h('span', { class: 'cost' }, `cost ${a.cost}`)),
        h('div', { class: 'meta mono' }, a.node),
        a.edge ? h('div', { class: 'meta mono' }, a.edge) : null,
        h('div', { class: 'meta' }, a.protects.length ? `Protects ${plural(a.protects.length, 'customer')}: ${listText(a.protects.map(name))}` : 'Protects no chosen customer'),
      ),
    );
  }

  /** Selects the action's node, highlights its first cut path and lists every customer it protects. */
  openAction(a: PlanAction, button?: HTMLElement): void {
    const ex = this.ex;
    for (const li of Array.from(ex.els['plan-body']!.querySelectorAll('#plan-actions li.focused'))) li.classList.remove('focused');
    const row = button?.closest('li');
    row?.classList.add('focused');
    if (row && a.protects.length && !row.querySelector('.protects-list')) {
      const name = namer(ex);
      const list = h('ul', { class: 'id-list protects-list', 'aria-label': `Customers protected by: ${actionText(a, name)}` });
      renderPaged(list, a.protects, (c) => h('li', { 'data-id': c, title: c }, `${name(c)}${name(c) === c ? '' : ` (${c})`}`), 'customers');
      row.append(list);
    }
    ex.select(a.node, { center: true });
    const path = firstCutPath(a, ex.result);
    const hl = pathElements(path.length ? [path] : [], ex.drawn?.alias);
    const drawnNode = ex.drawn?.alias?.get(a.node) ?? a.node;
    if (drawnNode && !hl.nodes.includes(drawnNode)) hl.nodes.push(drawnNode);
    ex.setHighlight(hl);
  }

  current(): ContainmentPlan | null {
    return this.plan;
  }
}

// ---------------------------------------------------------------- rotation queue

export class QueuePanel {
  private queue: RotationQueue | null = null;
  private key: string | null = null;
  private gen = 0;
  private abort: AbortController | null = null;

  constructor(private readonly ex: Explorer) {}

  wire(): void {
    const details = this.ex.els.queue as HTMLDetailsElement;
    details.addEventListener('toggle', () => {
      if (details.open) void this.load();
    });
  }

  /** The walk changed: reload when the panel is open, else forget the old queue. */
  walkChanged(): void {
    if (this.queue && this.key === walkKey(this.ex)) return;
    this.abort?.abort();
    this.gen++;
    this.queue = null;
    this.key = null;
    this.ex.els['queue-count']!.textContent = '';
    replace(this.ex.els['queue-body']!, h('p', { class: 'hint' }, this.ex.state.seeds.length ? '' : 'Walk from a seed first: the queue is for the walk on screen.'));
    if ((this.ex.els.queue as HTMLDetailsElement).open) void this.load();
  }

  async load(): Promise<void> {
    const ex = this.ex;
    const body = ex.els['queue-body']!;
    const key = walkKey(ex);
    if (this.key === key && this.queue) return;
    if (ex.state.seeds.length === 0) {
      replace(body, h('p', { class: 'hint' }, 'Walk from a seed first: the queue is for the walk on screen.'));
      return;
    }
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const gen = ++this.gen;
    const { seeds, options } = walkInput(ex);
    body.setAttribute('aria-busy', 'true');
    replace(body, h('p', { class: 'hint busy' }, 'Computing the rotation queue…'));
    try {
      const queue = await ex.api.rotationQueue(seeds, options, abort.signal);
      if (gen !== this.gen) return;
      this.queue = queue;
      this.key = key;
      this.render(queue);
      ex.announce(queue.credentials.length ? `Rotate first: ${plural(queue.credentials.length, 'credential')}.` : 'Nothing to rotate.');
    } catch (err) {
      if (gen !== this.gen || (err as Error).name === 'AbortError') return;
      ex.els['queue-count']!.textContent = '';
      replace(body, errorCard(describeError(err)));
    } finally {
      if (gen === this.gen) body.removeAttribute('aria-busy');
    }
  }

  private render(queue: RotationQueue): void {
    const ex = this.ex;
    const name = namer(ex);
    ex.els['queue-count']!.textContent = `(${queue.credentials.length})`;
    const body = ex.els['queue-body']!;
    if (queue.credentials.length === 0) {
      replace(body, h('p', { class: 'empty', id: 'queue-empty' }, 'Nothing to rotate: no credential this walk reaches is still unrotated.'));
      return;
    }
    const list = h('ol', { id: 'queue-list', class: 'queue-list' });
    renderPaged(list, queue.credentials, (e, i) => this.entryRow(e, i, name), 'credentials');
    replace(body, list);
  }

  private entryRow(e: RotationEntry, index: number, name: (id: string) => string): HTMLElement {
    const ex = this.ex;
    const opens = e.opens.map((g) => `${name(g.id)}${g.access ? ` (${g.access})` : ''}`);
    return h(
      'li',
      { 'data-id': e.credential, 'data-index': index },
      h(
        'button',
        {
          type: 'button',
          class: 'queue-entry',
          'aria-label': `${index + 1}. ${e.name}: select it in the graph`,
          onclick: (ev: Event) => {
            for (const li of Array.from(ex.els['queue-body']!.querySelectorAll('li.focused'))) li.classList.remove('focused');
            (ev.currentTarget as HTMLElement).closest('li')?.classList.add('focused');
            ex.select(e.credential, { center: true });
            // How the compromise reached it: its evidence path in the walk on screen.
            ex.why(e.credential);
          },
        },
        h('div', { class: 'name' }, h('span', { class: 'rank' }, `${index + 1}.`), ' ', e.name, e.type ? h('span', { class: 'badge unknown' }, e.type) : null),
        h('div', { class: 'meta mono' }, e.credential),
        h('div', { class: 'meta' }, `First exposed ${showTime(e.firstExposedAt)}`),
        h('div', { class: 'meta' }, e.deadline ? `Deadline ${showTime(e.deadline)}${e.deadlineCustomer ? ` (${name(e.deadlineCustomer)})` : ''}` : 'No notification deadline recorded'),
        h('div', { class: 'meta' }, e.customers.length ? `Leads to ${plural(e.customers.length, 'customer')}: ${listText(e.customers.map(name))}` : 'Leads to no customer'),
        h('div', { class: 'meta' }, opens.length ? `Opens ${listText(opens, 4)}` : 'Opens nothing recorded'),
        h('div', { class: 'meta' }, e.heldBy.length ? `Held by ${listText(e.heldBy.map(name), 4)}` : 'Held by no recorded service'),
      ),
    );
  }

  current(): RotationQueue | null {
    return this.queue;
  }
}
