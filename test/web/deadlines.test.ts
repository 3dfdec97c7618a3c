import { describe, expect, it } from 'vitest';
import { customersByUrgency, humanDuration } from '../../web/src/deadlines.js';
import type { AffectedCustomer } from '../../web/src/types.js';

const c = (id: string, firstExposedAt: string | null, hours: unknown): AffectedCustomer => ({
  id,
  name: id.slice(4),
  firstExposedAt,
  reasons: [],
  node: hours === undefined ? { props: {} } : { props: { notifyWithinHours: hours as number } },
});

describe('customers by urgency', () => {
  const now = Date.parse('2026-03-22T00:00:00Z');
  const rows = customersByUrgency(
    [
      c('org:late-short', '2026-03-24T11:20:00Z', 24),
      c('org:early-long', '2026-03-19T19:02:00Z', 72),
      c('org:early-short', '2026-03-19T19:02:00Z', 48),
      c('org:no-window', '2026-03-19T10:00:00Z', undefined),
      c('org:unknown-time', null, 72),
      c('org:text-hours', '2026-03-20T00:00:00Z', '12'),
    ],
    now,
  );

  it('sorts by deadline (first exposure + notifyWithinHours), earliest first', () => {
    expect(rows.map((r) => r.id)).toEqual(['org:unknown-time', 'org:text-hours', 'org:early-short', 'org:early-long', 'org:late-short', 'org:no-window']);
  });

  it('computes deadlines and statuses', () => {
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('org:early-short')).toMatchObject({ deadline: '2026-03-21T19:02:00Z', status: 'overdue', notifyWithinHours: 48 });
    expect(byId.get('org:early-long')).toMatchObject({ deadline: '2026-03-22T19:02:00Z', status: 'pending' });
    expect(byId.get('org:unknown-time')).toMatchObject({ deadline: null, status: 'due' });
    expect(byId.get('org:no-window')).toMatchObject({ deadline: null, status: 'unknown', notifyWithinHours: null });
  });

  it('writes durations for people', () => {
    expect(humanDuration(26 * 3_600_000)).toBe('1 d 2 h');
    expect(humanDuration(-90 * 60_000)).toBe('1 h 30 min');
    expect(humanDuration(5 * 60_000)).toBe('5 min');
  });
});
