/** The card over the graph: the empty start, loading, nothing reached, or an error with "Try again". */
import type { ErrorView } from '../describe-error.js';
import { h, replace } from '../ui/dom.js';

export type OverlayKind = 'empty' | 'loading' | 'nothing' | 'error' | null;

export interface OverlayOptions {
  /** The loading text names what is loading. */
  view: 'walk' | 'neighborhood';
  error?: ErrorView | null;
  retry: () => void;
}

export function renderOverlay(o: HTMLElement, kind: OverlayKind, opts: OverlayOptions): void {
  o.dataset.state = kind ?? 'none';
  if (kind === null) {
    o.replaceChildren();
    return;
  }
  if (kind === 'loading') {
    replace(o, h('div', { class: 'card' }, h('div', { class: 'spinner', 'aria-hidden': 'true' }), h('p', {}, opts.view === 'neighborhood' ? 'Loading the neighbourhood…' : 'Computing the blast radius…')));
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
    const e = opts.error ?? { title: 'Something went wrong', detail: '', code: 'INTERNAL' };
    replace(o, h('div', { class: 'card error', role: 'alert' }, h('h2', {}, e.title), h('p', {}, e.detail), h('button', { type: 'button', onclick: opts.retry }, 'Try again')));
  }
}
