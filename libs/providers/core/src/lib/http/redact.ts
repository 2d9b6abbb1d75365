import type { ProviderError } from '../provider.errors';

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

/** Secrets shorter than this are not redacted (they would shred ordinary text). */
const SHORTEST_SECRET = 4;

/**
 * Replaces every occurrence of each secret (non-empty, at least 4 characters) in `text` with
 * `[redacted]`. Longer secrets go first, so a secret that contains another is replaced whole.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of usableSecrets(secrets)) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/**
 * Redacts a value for an error: strings are redacted, arrays and plain objects copied with
 * their keys and values redacted, Errors replaced by a plain Error (redacted message, its
 * `code`); other values are kept.
 */
export function redactValue(value: unknown, secrets: readonly string[], seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (value instanceof Error) return plainCause(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, seen));
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[redactSecrets(key, secrets)] = redactValue(item, secrets, seen);
  }
  return copy;
}

/** A plain Error standing in for `error` as a cause: its redacted message and `code` only. */
export function plainCause(error: Error, secrets: readonly string[]): Error {
  const cause = new Error(redactSecrets(error.message, secrets)) as Error & { code?: string };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') cause.code = String(code);
  cause.stack = `${cause.name}: ${cause.message}`;
  return cause;
}

/**
 * Redacts a ProviderError in place (message, stack, details and every other own property,
 * cause) and returns it: for errors an adapter built (`mapError`) from a provider's answer.
 */
export function redactError<E extends ProviderError>(error: E, secrets: readonly string[]): E {
  const target = error as unknown as Record<string, unknown>;
  for (const key of Object.keys(target)) target[key] = redactValue(target[key], secrets);
  error.message = redactSecrets(error.message, secrets);
  if (error.stack !== undefined) error.stack = redactSecrets(error.stack, secrets);
  if ('cause' in error && error.cause !== undefined) {
    Object.defineProperty(error, 'cause', {
      value: redactValue(error.cause, secrets),
      writable: true,
      enumerable: false,
      configurable: true,
    });
  }
  return error;
}

function usableSecrets(secrets: readonly string[]): string[] {
  const usable = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret === 'string' && secret.length >= SHORTEST_SECRET) usable.add(secret);
  }
  return [...usable].sort((a, b) => b.length - a.length);
}
