import { type HttpErrorAnswer, ProviderAuthError, type ProviderError, ProviderNotFoundError, ProviderValidationError } from '@shipbatch/providers/core';

/**
 * The texts of ShipStation v1's error body. TODO: read the provider's own error shape (its
 * OpenAPI description's error schema); this reads `{ message }`, `{ errors: [{ message }] }` and
 * plain text.
 */
export function shipStationV1ErrorTexts(body: unknown): string[] {
  if (typeof body === 'string') return body.trim() ? [body.trim()] : [];
  if (body === null || typeof body !== 'object') return [];
  const { message, errors } = body as { message?: unknown; errors?: unknown };
  const listed = Array.isArray(errors) ? errors.map((e) => (e && typeof e === 'object' ? (e as { message?: unknown }).message : e)) : [];
  return [...listed, message].filter((t): t is string => typeof t === 'string' && t.trim() !== '').map((t) => t.trim());
}

/**
 * ShipStation v1's error answers onto the ProviderError family (the HttpTransport's `mapError`
 * hook), keeping the provider's text in the message. 429, 408 and 5xx keep the transport's
 * mapping (the budget paused, `retryAfterMs`, `possiblyCommitted`). TODO: the provider's own
 * codes: insufficient funds (ProviderInsufficientFundsError, with `needed_minor`), a refused
 * credential that is not a 401, a 400 that means "not found".
 */
export function mapShipStationV1Error(answer: HttpErrorAnswer): ProviderError | undefined {
  const { status, body, fallback, request } = answer;
  if (status === 429 || status === 408 || status >= 500 || status < 400) return undefined;
  const text = shipStationV1ErrorTexts(body).join('; ');
  const message = text ? `shipstation_v1: ${request.method} ${request.path} answered ${status}: ${text}` : fallback.message;
  const options = { details: { http_status: status }, cause: fallback };
  if (status === 401 || status === 403) return new ProviderAuthError(message, options);
  if (status === 404) return new ProviderNotFoundError(message, options);
  return new ProviderValidationError(message, options);
}
