/**
 * Type-ahead over the API's `search`: an ARIA 1.2 combobox (input + listbox). Arrow keys move through
 * the results, Enter picks, Escape closes. Results show kind tag, name and id as text.
 */
import type { ApiClient } from '../api.js';
import { KIND_VISUALS } from '../kind-visuals.js';
import type { ApiNode } from '../types.js';
import { h } from './dom.js';

export interface SearchBoxOptions {
  input: HTMLInputElement;
  listbox: HTMLUListElement;
  api: ApiClient;
  onPick: (node: ApiNode) => void;
  onError: (err: unknown) => void;
  /**
   * Wait after the last keystroke before asking the server (ms).
   * @default 150
   */
  debounceMs?: number;
}

export function attachSearchBox(o: SearchBoxOptions): { clear(): void } {
  const debounce = o.debounceMs ?? 150;
  let results: ApiNode[] = [];
  let active = -1;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inflight: AbortController | null = null;
  const { input, listbox } = o;
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', listbox.id);
  listbox.setAttribute('role', 'listbox');

  const close = () => {
    listbox.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const render = () => {
    listbox.replaceChildren();
    if (results.length === 0) {
      listbox.append(h('li', { class: 'search-empty', role: 'option', 'aria-disabled': 'true' }, 'No match'));
    }
    results.forEach((n, i) => {
      const li = h(
        'li',
        { id: `${listbox.id}-${i}`, role: 'option', class: 'search-option', 'aria-selected': i === active ? 'true' : 'false', 'data-id': n.id },
        h('span', { class: `kind-tag kind-${n.kind}` }, KIND_VISUALS[n.kind]?.tag ?? n.kind),
        h('span', { class: 'search-name' }, n.name),
        h('span', { class: 'search-id' }, n.id),
      );
      // mousedown, not click: it fires before the input's blur closes the list.
      li.addEventListener('mousedown', (ev) => {
        ev.preventDefault();
        pick(i);
      });
      listbox.append(li);
    });
    listbox.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    if (active >= 0) input.setAttribute('aria-activedescendant', `${listbox.id}-${active}`);
    else input.removeAttribute('aria-activedescendant');
  };
  const pick = (i: number) => {
    const n = results[i];
    if (!n) return;
    close();
    input.value = '';
    o.onPick(n);
  };
  const run = async (text: string) => {
    inflight?.abort();
    const ctrl = new AbortController();
    inflight = ctrl;
    try {
      const found = await o.api.search(text, { first: 12 }, ctrl.signal);
      if (ctrl.signal.aborted || input.value.trim() !== text) return;
      results = found;
      active = found.length ? 0 : -1;
      render();
    } catch (err) {
      if ((err as Error).name !== 'AbortError') o.onError(err);
    }
  };
  input.addEventListener('input', () => {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) {
      results = [];
      close();
      return;
    }
    timer = setTimeout(() => void run(text), debounce);
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'ArrowDown' || ev.key === 'ArrowUp') {
      if (listbox.hidden || results.length === 0) return;
      ev.preventDefault();
      active = (active + (ev.key === 'ArrowDown' ? 1 : results.length - 1)) % results.length;
      render();
    } else if (ev.key === 'Enter') {
      if (!listbox.hidden && active >= 0) {
        ev.preventDefault();
        pick(active);
      }
    } else if (ev.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 100));
  close();
  return {
    clear() {
      input.value = '';
      results = [];
      close();
    },
  };
}
