/** The customers panel: every customer reached, most urgent notification first; a click focuses its paths. */
import { customersByUrgency, humanDuration } from '../deadlines.js';
import type { BlastRadius } from '../types.js';
import { h, showTime } from '../ui/dom.js';

export interface CustomersPanel {
  list: HTMLElement;
  count: HTMLElement;
}

export function renderCustomers(panel: CustomersPanel, result: BlastRadius | null, focus: string | null, onFocus: (id: string) => void): void {
  const { list } = panel;
  list.replaceChildren();
  const customers = result?.customers ?? [];
  panel.count.textContent = result ? `(${customers.length})` : '';
  if (!result) return;
  if (customers.length === 0) {
    list.append(h('li', { class: 'empty' }, 'No customer or partner is reached.'));
    return;
  }
  const now = Date.now();
  for (const row of customersByUrgency(customers, now)) {
    const badge =
      row.status === 'overdue'
        ? `overdue by ${humanDuration(now - row.urgency)}`
        : row.status === 'pending'
          ? `due in ${humanDuration(row.urgency - now)}`
          : row.status === 'due'
            ? 'due now (exposure time unknown)'
            : 'no notification window recorded';
    list.append(
      h(
        'li',
        { 'data-id': row.id, class: row.id === focus ? 'focused' : '' },
        h(
          'button',
          { type: 'button', class: 'customer', 'aria-label': `Focus on ${row.name}'s paths`, onclick: () => onFocus(row.id) },
          h('div', { class: 'name' }, row.name, h('span', { class: `badge ${row.status}` }, badge)),
          h('div', { class: 'meta mono' }, row.id),
          h('div', { class: 'meta' }, `First exposed ${showTime(row.firstExposedAt)}`),
          h(
            'div',
            { class: 'meta' },
            row.deadline
              ? `Notify by ${showTime(row.deadline)} (${row.notifyWithinHours} h${row.jurisdiction ? `, ${row.jurisdiction}` : ''})`
              : row.notifyWithinHours === null
                ? 'Notification window unknown'
                : `Notify within ${row.notifyWithinHours} h of an unknown exposure`,
          ),
          h('div', { class: 'meta' }, `${row.reasons} reason${row.reasons === 1 ? '' : 's'}`),
        ),
      ),
    );
  }
}

/** Marks the focused customer's row. */
export function markFocusedCustomer(list: HTMLElement, id: string | null): void {
  for (const li of Array.from(list.querySelectorAll('li[data-id]'))) li.classList.toggle('focused', li.getAttribute('data-id') === id);
}
