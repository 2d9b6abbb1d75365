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
      throw new Error(
        `the mock provider keeps durable provider-side state (schema mock_provider) and needs context.sql; ` +
          `none was given for carrier account ${context.carrierAccountId}`,
      );
    }
    return new MockProvider(options, context.carrier, context.sql, context.carrierAccountId, context.pacer);
  },
};
