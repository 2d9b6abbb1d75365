import { ApiError } from '../http/api-error';

/** Longest batch shipment id the remove routes accept. */
const MAX_ID_LENGTH = 64;

/**
 * The body of `remove_shipments` as the command takes it: a non-empty array of batch shipment
 * ids (strings of 1 to 64 characters). Anything else is a 400 naming the body or the first bad
 * item (`[i]`).
 */
export function toBatchShipmentIds(body: unknown): string[] {
  if (!Array.isArray(body) || body.length === 0) {
    throw ApiError.validation('body', 'body must be a non-empty array of batch shipment ids');
  }
  const items: readonly unknown[] = body;
  const ids: string[] = [];
  for (const [i, item] of items.entries()) {
    if (typeof item !== 'string' || item.length === 0 || item.length > MAX_ID_LENGTH) {
      throw ApiError.validation(`[${i}]`, `[${i}] must be a batch shipment id (string)`);
    }
    ids.push(item);
  }
  return ids;
}
