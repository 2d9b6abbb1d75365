import { randomUUID } from 'node:crypto';
import { createPgliteSqlClient, describeProviderContract } from '@shipbatch/providers/testing';
import { mockProviderDefinition } from './mock.definition';
import { MockProviderOptions } from './mock-provider.options';

describeProviderContract('mock (PGlite)', async () => {
  const { client, close } = await createPgliteSqlClient();
  const provider = mockProviderDefinition.create(Object.assign(new MockProviderOptions(), { initial_balance: 100 }), {
    carrierAccountId: randomUUID(),
    carrier: 'usps',
    test: true,
    sql: client,
  });
  return { provider, carrier: 'usps', serviceLevelToken: 'usps_priority', teardown: close };
});
