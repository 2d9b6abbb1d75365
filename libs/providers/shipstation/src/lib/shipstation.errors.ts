import {
  type HttpErrorAnswer,
  ProviderAuthError,
  type ProviderError,
  ProviderInsufficientFundsError,
  ProviderNotFoundError,
  ProviderValidationError,
} from '@shipbatch/providers/core';
import type { SsErrorBody } from './shipstation.types';

type SsError = NonNullable<SsErrorBody['errors']>[number];

function errorsOf(body: unknown): SsError[] {
  if (body === null || typeof body !== 'object') return [];
  const errors = (body as SsErrorBody).errors;
  return Array.isArray(errors) ? errors.filter((e): e is SsError => e !== null && typeof e === 'object') : [];
}

/** `Insufficient funds to purchase label (insufficient_funds); ...`: ShipStation's text and code of every error. */
function describe(errors: SsError[]): string {
  return errors
    .map((e) => {
      const text = typeof e.message === 'string' && e.message.trim() ? e.message.trim() : 'error';
      return e.error_code ? `${text} (${e.error_code})` : text;
    })
    .join('; ');
}

/** An amount in dollars after a word (`balance: $5.00`, `requires 7.58 USD`) -> minor units. */
function amountAfter(text: string, words: RegExp): number | undefined {
  const m = new RegExp(`(?:${words.source})[^0-9$]{0,40}\\$?\\s*(\\d+(?:\\.\\d+)?)`, 'i').exec(text);
  return m ? Math.round(Number(m[1]) * 100) : undefined;
}

/** Reads a number given in minor units or dollars from the body's extra fields, when ShipStation gives any. */
function bodyAmount(body: unknown, keys: string[]): number | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  for (const key of keys) {
    const value = (body as Record<string, unknown>)[key];
    if (typeof value === 'number' && Number.isFinite(value)) return key.endsWith('_minor') ? value : Math.round(value * 100);
  }
  return undefined;
}

/**
 * ShipStation's error answers (`{request_id, errors: [{error_source, error_type, error_code,
 * message}]}`) onto the ProviderError family. Keeps ShipStation's text and code in the message
 * and `details.provider_code`. 429 and 5xx keep the transport's mapping (pacing, retry-after,
 * possiblyCommitted); so does a 404 without a body we know.
 */
export function mapShipStationError(answer: HttpErrorAnswer): ProviderError | undefined {
  const { status, body, fallback } = answer;
  if (status === 429 || status >= 500 || status < 400) return undefined;
  const errors = errorsOf(body);
  const requestId = body && typeof body === 'object' ? (body as SsErrorBody).request_id : undefined;
  const first = errors[0];
  const codes = errors.map((e) => e.error_code).filter((c): c is string => typeof c === 'string');
  const details: Record<string, unknown> = { http_status: status };
  if (codes.length) details['provider_code'] = codes[0];
  if (codes.length > 1) details['provider_codes'] = codes;
  if (requestId) details['request_id'] = requestId;
  const field = errors.find((e) => typeof e.field_name === 'string')?.field_name;
  if (field) details['field'] = field;
  const text = errors.length ? describe(errors) : '';
  const message = text ? `shipstation: ${text}` : fallback.message;
  const options = { details, cause: fallback };

  const funds = errors.find((e) => e.error_code === 'insufficient_funds');
  if (funds) {
    const all = errors.map((e) => e.message ?? '').join(' ');
    const needed = bodyAmount(body, ['needed_minor', 'required_amount']) ?? amountAfter(all, /need(?:ed|s)?|requir(?:ed|es)|costs?|price/);
    const balance = bodyAmount(body, ['balance_minor', 'balance']) ?? amountAfter(all, /balance/);
    if (needed !== undefined) details['needed_minor'] = needed;
    if (balance !== undefined) details['balance_minor'] = balance;
    details['provider_code'] = 'insufficient_funds';
    return new ProviderInsufficientFundsError(message, options);
  }
  if (status === 401 || status === 403 || errors.some((e) => e.error_type === 'security')) {
    return new ProviderAuthError(message, options);
  }
  if (status === 404) return errors.length ? new ProviderNotFoundError(message, options) : undefined;
  if (status === 408) return undefined;
  if (first?.error_type === 'account_status') return new ProviderAuthError(message, options);
  if (status >= 400 && status < 500) return new ProviderValidationError(message, options);
  return undefined;
}
