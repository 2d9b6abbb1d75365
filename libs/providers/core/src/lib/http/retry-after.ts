/** The wait assumed after a 429 without a usable `Retry-After`. */
export const DEFAULT_RETRY_AFTER_MS = 10_000;

/**
 * Milliseconds to wait according to a `Retry-After` header: delta seconds (`120`, `1.5`) or an
 * HTTP date (`Wed, 21 Oct 2015 07:28:00 GMT`; a date in the past is 0). Absent or unparsable:
 * DEFAULT_RETRY_AFTER_MS.
 */
export function parseRetryAfterMs(value: string | undefined, now: number = Date.now()): number {
  const text = value?.trim();
  if (!text) return DEFAULT_RETRY_AFTER_MS;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
  // Only a date with letters in it (a day or month name), not a bare number Date.parse would guess at.
  if (!/[a-z]/i.test(text)) return DEFAULT_RETRY_AFTER_MS;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return DEFAULT_RETRY_AFTER_MS;
  return Math.max(0, date - now);
}
