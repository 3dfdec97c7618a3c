/**
 * Affected customers by urgency: the notification deadline is the customer's first exposure plus its
 * `notifyWithinHours` (a prop of the customer node), earliest deadline first.
 */
import { formatTime, toMs, type AffectedCustomer, type Json } from './types.js';

export interface CustomerRow {
  id: string;
  name: string;
  firstExposedAt: string | null;
  /** From the customer node's props; null when not recorded. */
  notifyWithinHours: number | null;
  /**
   * firstExposedAt + notifyWithinHours. Null when the hours are unknown, or when the exposure time
   * is unknown (then the deadline is "as early as possible": already due).
   */
  deadline: string | null;
  /** The sort key: epoch ms; -Infinity when due at once, +Infinity when there is no deadline. */
  urgency: number;
  /** `overdue` once the deadline is before `now`; `due` for an unknown exposure; `unknown` without hours. */
  status: 'overdue' | 'pending' | 'due' | 'unknown';
  reasons: number;
  jurisdiction: string | null;
}

const HOUR = 3_600_000;

function numberProp(props: Record<string, Json> | undefined, key: string): number | null {
  const v = props?.[key];
  if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) && Number(v) >= 0) return Number(v);
  return null;
}

/**
 * @param now epoch ms used for `overdue` (the page passes Date.now()).
 * @example customersByUrgency(result.customers, Date.now())
 */
export function customersByUrgency(customers: readonly AffectedCustomer[], now: number): CustomerRow[] {
  const rows = customers.map((c): CustomerRow => {
    const props = c.node?.props ?? undefined;
    const hours = numberProp(props, 'notifyWithinHours');
    const exposed = toMs(c.firstExposedAt);
    let urgency: number;
    let deadline: string | null = null;
    let status: CustomerRow['status'];
    if (hours === null) {
      urgency = Number.POSITIVE_INFINITY;
      status = 'unknown';
    } else if (exposed === null) {
      urgency = Number.NEGATIVE_INFINITY;
      status = 'due';
    } else {
      urgency = exposed + hours * HOUR;
      deadline = formatTime(urgency);
      status = urgency < now ? 'overdue' : 'pending';
    }
    const jurisdiction = props?.jurisdiction;
    return {
      id: c.id,
      name: c.name,
      firstExposedAt: c.firstExposedAt,
      notifyWithinHours: hours,
      deadline,
      urgency,
      status,
      reasons: c.reasons.length,
      jurisdiction: typeof jurisdiction === 'string' ? jurisdiction : null,
    };
  });
  return rows.sort((a, b) => {
    if (a.urgency !== b.urgency) return a.urgency < b.urgency ? -1 : 1;
    const ea = toMs(a.firstExposedAt) ?? Number.NEGATIVE_INFINITY;
    const eb = toMs(b.firstExposedAt) ?? Number.NEGATIVE_INFINITY;
    if (ea !== eb) return ea < eb ? -1 : 1;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

/** "3 d 4 h" style distance between two instants, for "due in" / "overdue by". */
export function humanDuration(ms: number): string {
  const abs = Math.abs(ms);
  const d = Math.floor(abs / (24 * HOUR));
  const h = Math.floor((abs % (24 * HOUR)) / HOUR);
  const m = Math.floor((abs % HOUR) / 60_000);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} min`;
  return `${m} min`;
}
