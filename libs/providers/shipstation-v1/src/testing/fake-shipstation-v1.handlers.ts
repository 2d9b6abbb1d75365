import type { FakeHandler } from '@shipbatch/providers/testing';
import type { FakeShipStationV1State } from './fake-shipstation-v1.state';

/**
 * The fake's handlers, by operationId of openapi/shipstation-v1.openapi.json. TODO: one for each
 * operation listed in openapi/shipstation-v1.operations.json, behaving as ShipStation v1 does
 * (sell a label into `state.sales`, find it by reference, refuse what the provider refuses with
 * fakeShipStationV1Error). `fake-shipstation-v1.openapi.spec.ts` names every kept operation
 * without a handler; until it has one, the kit answers 501 and records a violation.
 */
export function fakeShipStationV1Handlers(_state: FakeShipStationV1State): Record<string, FakeHandler> {
  return {};
}
