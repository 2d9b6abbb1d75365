import type { FakeAnswer } from '@shipbatch/providers/testing';

/**
 * An error answer in ShipStation v1's shape. TODO: the provider's own error body (its OpenAPI
 * description's error schema; pass it to startFakeServer as `errorSchema` so the fake's error
 * answers are checked against it).
 */
export function fakeShipStationV1Error(status: number, message: string, headers?: Record<string, string>): FakeAnswer {
  return { status, body: { message, errors: [{ message }] }, headers };
}
