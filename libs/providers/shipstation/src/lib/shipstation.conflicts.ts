import { ProviderValidationError } from '@shipbatch/providers/core';

/** How ShipStation words a refused duplicate id ("already exists", "duplicate", "must be unique", "already in use"). */
const DUPLICATE = /already\s+exists|duplicate|must\s+be\s+unique|already\s+in\s+use/i;

/** Whether a per-shipment error text of `POST /v2/shipments` says the external_shipment_id is taken. */
export function isExternalIdConflictText(text: string): boolean {
  return DUPLICATE.test(text) && /external[_\s]shipment[_\s]id/i.test(text);
}

/**
 * Whether ShipStation refused a request because a shipment with our `external_shipment_id`
 * exists already ("must be unique per account"): a 4xx with `error_code: identifier_conflict`
 * on that field, or a message saying so.
 */
export function isExternalIdConflict(error: unknown): boolean {
  if (!(error instanceof ProviderValidationError)) return false;
  const details = (error.details ?? {}) as Record<string, unknown>;
  const codes = [details['provider_code'], ...(Array.isArray(details['provider_codes']) ? details['provider_codes'] : [])];
  const field = typeof details['field'] === 'string' ? details['field'] : '';
  if (codes.includes('identifier_conflict') && (field === '' || /external_shipment_id$/.test(field))) return true;
  return isExternalIdConflictText(error.message);
}
