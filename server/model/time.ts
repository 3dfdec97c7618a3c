/**
 * Times are ISO-8601 UTC strings ending in `Z` at every boundary. Inside the engine they become epoch
 * milliseconds, with `null` meaning "unknown, as early as possible".
 */

/**
 * A date-time with a zone. A bare date (`2026-03-24`) is not an instant: read as UTC midnight it
 * silently moves events by up to a day for anyone east or west of UTC, so it is refused like a
 * date-time without a zone.
 */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Parses an ISO-8601 date-time with a zone; returns null if it is not one (a bare date is not). */
export function parseTime(value: unknown): number | null {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value.trim())) return null;
  const ms = Date.parse(value.trim());
  return Number.isNaN(ms) ? null : ms;
}

/** Canonical text of an instant: `2026-03-24T10:52:00Z`, with milliseconds only when non-zero. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Normalises any accepted time input to its canonical text, or returns null when it is not a time. */
export function normalizeTime(value: unknown): string | null {
  const ms = parseTime(value);
  return ms === null ? null : formatTime(ms);
}

/** Epoch ms of a canonical time, null for absent. */
export function toMs(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
