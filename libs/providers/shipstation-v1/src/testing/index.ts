export * from './fake-shipstation-v1';
export { FAKE_SHIPSTATION_V1_SERVICES, type FakeShipStationV1AccountInput, type FakeShipStationV1Sale } from './fake-shipstation-v1.state';
export { FixedWindowRateLimiter } from './fake-shipstation-v1.limits';
