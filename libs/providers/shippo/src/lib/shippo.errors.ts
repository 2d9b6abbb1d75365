import { type HttpErrorAnswer, ProviderAuthError, type ProviderError, ProviderNotFoundError, ProviderValidationError } from '@shipbatch/providers/core';

/**
 * Shippo's error bodies (Django REST framework) as `field: text` lines: `{ detail }`, or
 * `{ <field>: [texts] | text | { <field>: ... } }` (nested fields joined with dots).
 */
export function shippoErrorTexts(body: unknown, prefix = ''): Array<{ field?: string; text: string }> {
  if (typeof body === 'string') return body.trim() ? [{ field: prefix || undefined, text: body.trim() }] : [];
  if (Array.isArray(body)) return body.flatMap((item) => shippoErrorTexts(item, prefix));
  if (body === null || typeof body !== 'object') return [];
  return Object.entries(body as Record<string, unknown>).flatMap(([key, value]) => {
    if (key === 'detail' || key === 'non_field_errors' || key === '__all__') return shippoErrorTexts(value, prefix);
    return shippoErrorTexts(value, prefix ? `${prefix}.${key}` : key);
  });
}

const describe = (texts: Array<{ field?: string; text: string }>) => texts.map((t) => (t.field ? `${t.field}: ${t.text}` : t.text)).join('; ');

/**
 * Shippo's error answers onto the ProviderError family, keeping Shippo's text in the message
 * and the refused fields in `details.fields`. 429 and 5xx keep the transport's mapping (the
 * budget paused, `retryAfterMs`, `possiblyCommitted`).
 */
export function mapShippoError(answer: HttpErrorAnswer): ProviderError | undefined {
  const { status, body, fallback, request } = answer;
  if (status === 429 || status >= 500 || status < 400 || status === 408) return undefined;
  const texts = shippoErrorTexts(body);
  const details: Record<string, unknown> = { http_status: status };
  const fields = [...new Set(texts.map((t) => t.field).filter((f): f is string => !!f))];
  if (fields.length) {
    details['fields'] = fields;
    details['field'] = fields[0];
  }
  const text = describe(texts);
  const message = text ? `shippo: ${request.method} ${request.path} answered ${status}: ${text}` : fallback.message;
  const options = { details, cause: fallback };
  if (status === 401 || status === 403) return new ProviderAuthError(message, options);
  if (status === 404) return new ProviderNotFoundError(message, options);
  // A refund or a read of an object Shippo does not have: 400 "... does not exist".
  const lookup = request.method === 'GET' || request.path.startsWith('/refunds');
  if (lookup && /does not exist|not found/i.test(text)) return new ProviderNotFoundError(message, options);
  return new ProviderValidationError(message, options);
}
