export * from './fake-shipstation-v1';
export type { FakeShipStationV1Sale } from './fake-shipstation-v1.state';
