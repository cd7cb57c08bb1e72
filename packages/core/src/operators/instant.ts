/**
 * Instants as epoch milliseconds. Strings must be ISO 8601 date-times with a zone
 * (what the schema accepts); numbers are taken as epoch milliseconds.
 */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

/** Epoch milliseconds of an ISO date-time or epoch-millisecond number; NaN when neither. */
export function toEpochMillis(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'string' && ISO_WITH_ZONE.test(value)) return Date.parse(value);
  if (value instanceof Date) return value.getTime();
  return Number.NaN;
}
