export * from './fake-shippo';
export type { FakeShippoAccountInput, FakeShippoCarrierAccountInput, FakeShippoSale, FakeShippoBatch, FakeShippoBatchShipment, FakeShippoTransactionStatus } from './fake-shippo.state';
export { FAKE_SHIPPO_SERVICE_LEVELS, type FakeShippoCarrier } from './fake-shippo.catalog';
export type { FakeShippoMessage } from './fake-shippo.errors';
