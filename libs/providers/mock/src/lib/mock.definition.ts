import type { ProviderDefinition } from '@shipbatch/providers/core';
import { MOCK_CAPABILITIES } from './mock-catalog';
import { MockProviderOptions } from './mock-provider.options';
import { MockProvider } from './mock.provider';

/** The mock provider's registration: key `mock`. */
export const mockProviderDefinition: ProviderDefinition<MockProviderOptions> = {
  key: 'mock',
  displayName: 'Mock carrier',
  optionsClass: MockProviderOptions,
  capabilities: MOCK_CAPABILITIES,
  create(options, context) {
    if (!context.sql) {
      throw new Error('the mock provider keeps durable provider-side state and needs context.sql');
    }
    return new MockProvider(options, context.carrier, context.sql, context.carrierAccountId);
  },
};
