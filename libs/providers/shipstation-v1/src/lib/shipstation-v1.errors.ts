import {
  type HttpErrorAnswer,
  ProviderAuthError,
  type ProviderError,
  ProviderInsufficientFundsError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderValidationError,
} from '@shipbatch/providers/core';
import type { V1ErrorBody } from './shipstation-v1.types';

/** ASP.NET's generic texts, which say nothing beyond the status. */
const GENERIC = /^(an error has occurred\.?|the request is invalid\.?)$/i;
/** How ShipStation words a refusal for money: "insufficient funds", "insufficient balance", "insufficient account balance". */
const INSUFFICIENT = /insufficient\s+(?:account\s+|postage\s+)?(?:funds|balance)/i;

/**
 * ShipStation v1's texts of an error answer, most telling first: `ExceptionMessage`, then
 * `Message` unless it is ASP.NET's generic one; a plain-text body as it is.
 */
export function shipStationV1ErrorTexts(body: unknown): string[] {
  if (typeof body === 'string') return body.trim() ? [body.trim()] : [];
  if (body === null || typeof body !== 'object') return [];
  const { Message, ExceptionMessage, message } = body as V1ErrorBody & { message?: unknown };
  const texts = [ExceptionMessage, Message, message].filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.trim());
  const telling = texts.filter((t) => !GENERIC.test(t));
  return [...new Set(telling.length ? telling : texts)];
}

/** An amount in dollars after a word (`balance: $5.00`, `requires 7.58`) -> minor units. */
function amountAfter(text: string, words: RegExp): number | undefined {
  const m = new RegExp(`(?:${words.source})[^0-9$]{0,40}\\$?\\s*(\\d+(?:\\.\\d+)?)`, 'i').exec(text);
  return m ? Math.round(Number(m[1]) * 100) : undefined;
}

/** Seconds in a header (`X-Rate-Limit-Reset: 12`) as ms; undefined when absent or not a number. */
function secondsHeader(headers: Record<string, string>, name: string): number | undefined {
  const value = Number(headers[name]);
  return headers[name] !== undefined && Number.isFinite(value) && value >= 0 ? Math.ceil(value) * 1000 : undefined;
}

/**
 * ShipStation v1's error answers (ASP.NET shapes, `{Message, ExceptionMessage, ExceptionType}`)
 * onto the ProviderError family, keeping ShipStation's text: `shipstation_v1: POST
 * /orders/createlabelfororder answered 400: Insufficient funds ...`.
 * - a 400 whose text says insufficient funds or balance: ProviderInsufficientFundsError, with
 *   `details.needed_minor` / `balance_minor` when the text gives them;
 * - 401, 403: ProviderAuthError (a wrong key and secret);
 * - 404: ProviderNotFoundError; other 4xx: ProviderValidationError;
 * - 429: ProviderRateLimitedError, `retryAfterMs` from `Retry-After` or `X-Rate-Limit-Reset`
 *   (seconds to the window's reset), whichever is later: the transport pauses the budget that long;
 * - 5xx, 408: the transport's mapping (`possiblyCommitted` for purchases and top-ups).
 */
export function mapShipStationV1Error(answer: HttpErrorAnswer): ProviderError | undefined {
  const { status, body, fallback, request, headers } = answer;
  const text = shipStationV1ErrorTexts(body).join('; ');
  const message = text ? `shipstation_v1: ${request.method} ${request.path} answered ${status}: ${text}` : fallback.message;
  const details: Record<string, unknown> = { http_status: status };
  const type = body && typeof body === 'object' ? (body as V1ErrorBody).ExceptionType : undefined;
  if (type) details['provider_exception'] = type;
  if (status === 429) {
    const waits = [secondsHeader(headers, 'retry-after'), secondsHeader(headers, 'x-rate-limit-reset')].filter((w): w is number => w !== undefined);
    return new ProviderRateLimitedError(message, { details, cause: fallback, retryAfterMs: waits.length ? Math.max(...waits) : fallback.retryAfterMs });
  }
  if (status === 408 || status >= 500 || status < 400) return undefined;
  const options = { details, cause: fallback };
  if (INSUFFICIENT.test(text)) {
    const needed = amountAfter(text, /need(?:ed|s)?|requir(?:ed|es)|costs?|price/);
    const balance = amountAfter(text, /balance(?:\s+is|\s+of)?/);
    if (needed !== undefined) details['needed_minor'] = needed;
    if (balance !== undefined) details['balance_minor'] = balance;
    details['provider_code'] = 'insufficient_funds';
    return new ProviderInsufficientFundsError(message, options);
  }
  if (status === 401 || status === 403) {
    return new ProviderAuthError(`${message} (ShipStation refused the API key and secret: check api_key and api_secret)`, options);
  }
  if (status === 404) return new ProviderNotFoundError(message, options);
  return new ProviderValidationError(message, options);
}
