import { randomUUID } from 'node:crypto';
import type { FakeAnswer } from '@shipbatch/providers/testing';

/** Values of the spec's `error_source`, `error_type` and a subset of `error_code` enums. */
export type ShipStationErrorSource = 'carrier' | 'order_source' | 'shipengine';
export type ShipStationErrorType = 'account_status' | 'business_rules' | 'validation' | 'security' | 'system' | 'integrations';
export type ShipStationErrorCode =
  | 'unauthorized'
  | 'insufficient_funds'
  | 'invalid_identifier'
  | 'invalid_field_value'
  | 'field_value_required'
  | 'request_body_required'
  | 'rate_limit_exceeded'
  | 'identifier_conflict'
  | 'invalid_status'
  | 'batch_cannot_be_modified'
  | 'warehouse_conflict'
  | 'unspecified';

export interface ShipStationErrorDetail {
  error_source?: ShipStationErrorSource;
  error_type: ShipStationErrorType;
  error_code: ShipStationErrorCode;
  message: string;
  field_name?: string;
  carrier_id?: string;
  carrier_code?: string;
}

/** An answer in ShipStation's (ShipEngine's) error shape `{ request_id, errors: [...] }`. */
export function shipStationError(status: number, details: ShipStationErrorDetail | ShipStationErrorDetail[], headers?: Record<string, string>): FakeAnswer {
  const errors = (Array.isArray(details) ? details : [details]).map((d) => ({ error_source: 'shipengine' as const, ...d }));
  return { status, headers, body: { request_id: randomUUID(), errors } };
}

export const notFound = (what: string): FakeAnswer => shipStationError(404, { error_type: 'validation', error_code: 'invalid_identifier', message: `${what} not found.` });
