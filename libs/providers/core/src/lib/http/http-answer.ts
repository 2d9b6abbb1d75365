import type { AxiosResponse } from 'axios';
import type { ProviderError } from '../provider.errors';

/** What HttpTransport reads from answers and failures: bodies, headers, network error codes. */

/** Network failures where the request never reached the provider. */
export const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);
export const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT']);
export const NETWORK_WORDING: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection broken',
};

export function bodySummary(body: unknown): string | undefined {
  if (typeof body === 'string') return body;
  if (body === null || typeof body !== 'object') return undefined;
  const record = body as Record<string, unknown>;
  const first = Array.isArray(record['errors']) ? (record['errors'] as unknown[])[0] : undefined;
  const candidates = [
    typeof first === 'string' ? first : (first as Record<string, unknown> | undefined)?.['message'],
    record['message'],
    record['detail'],
    record['error'],
  ];
  return candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
}

/** Parsed JSON when the answer is JSON, else the text; an empty body is undefined. */
export function parseBody(text: string | ArrayBuffer | undefined, contentType = ''): unknown {
  if (text === '' || text === undefined) return undefined;
  if (typeof text !== 'string') return text;
  const looksJson = /[/+]json\b/i.test(contentType) || (!contentType && /^\s*[[{]/.test(text));
  if (!looksJson) return text;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** The last try's error, its message and details saying how many tries were made. */
export function afterAttempts(error: ProviderError, attempts: number): ProviderError {
  error.message = `${error.message} (${attempts} attempts)`;
  (error as { details?: Record<string, unknown> }).details = { ...error.details, attempts };
  return error;
}

export function plainHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const plain: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined || value === null) continue;
    plain[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return plain;
}

/** A header value is a secret; so is its credential part (`ShippoToken abc` -> `abc`). */
export function headerSecrets(value: string): string[] {
  const credential = /^\S+\s+(\S.*)$/.exec(value.trim())?.[1];
  return credential ? [value, credential] : [value];
}

export function networkCode(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && code) return code;
  return /timeout/i.test(error.message) ? 'ETIMEDOUT' : 'ENETWORK';
}

export function withoutQuery(location: string): string {
  return location.split(/[?#]/)[0];
}
