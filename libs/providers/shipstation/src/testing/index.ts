export * from './fake-shipstation';
export type { FakeShipStationAccountInput, FakeShipStationCarrierInput, FakeShipStationSale } from './fake-shipstation.state';
export type { FakeShipStationBatchView } from './fake-shipstation.batch.state';
export { FAKE_SHIPSTATION_SERVICES, type FakeCarrierCode } from './fake-shipstation.catalog';
export { FAKE_SHIPSTATION_MIN_FUNDS } from './fake-shipstation.accounts';
export { shipStationError, type ShipStationErrorDetail } from './fake-shipstation.errors';
export * from './shipstation-request.fixtures';
