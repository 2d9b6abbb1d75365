import { describeProviderSpec } from '@shipbatch/providers/testing';
import { fakeShipStationV1Handlers } from './fake-shipstation-v1.handlers';
import { FakeShipStationV1State } from './fake-shipstation-v1.state';

// The kept OpenAPI description (openapi/shipstation-v1.openapi.json) has exactly the operations the
// fake handles, exactly those openapi/shipstation-v1.operations.json lists, and no prose.
describeProviderSpec('shipstation-v1', () => Object.keys(fakeShipStationV1Handlers(new FakeShipStationV1State())));
