import type { ProviderDefinition } from '@shipbatch/providers/core';
import { mockProviderDefinition } from '@shipbatch/providers/mock';
import { shipStationProviderDefinition } from '@shipbatch/providers/shipstation';
import { shippoProviderDefinition } from '@shipbatch/providers/shippo';
import { shipStationV1ProviderDefinition } from '@shipbatch/providers/shipstation-v1';

/**
 * Every registered provider. A platform team adds a carrier with its own library and one
 * line here.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const PROVIDER_DEFINITIONS: ReadonlyArray<ProviderDefinition<any>> = [
  mockProviderDefinition,
  shipStationProviderDefinition,
  shippoProviderDefinition,
  shipStationV1ProviderDefinition,
];
