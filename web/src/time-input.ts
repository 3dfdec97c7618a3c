/** datetime-local inputs hold UTC here (the page says so next to each). */
import { formatTime } from './types.js';

/** datetime-local value (read as UTC) -> ISO; '' -> null. */
export function fromLocalInput(value: string): string | null {
  if (!value) return null;
  const ms = Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`);
  return Number.isNaN(ms) ? null : formatTime(ms);
}

/** ISO -> datetime-local value in UTC. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString().slice(0, 16);
}
