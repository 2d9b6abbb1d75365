import { randomUUID } from 'node:crypto';
import type { SqlClient } from '@shipbatch/providers/core';
import { createTestDatabase, type TestDatabase } from '@shipbatch/platform/testing';
import { type ClosableSqlClient, createPgliteSqlClient, createPgSqlClient, describeProviderContract } from '@shipbatch/providers/testing';
import { mockProviderDefinition } from './mock.definition';
import { MockProviderOptions } from './mock-provider.options';

/** A fresh mock instance on a fresh account (so fresh provider-side state) for every test. */
const freshMock = (sql: () => SqlClient, carrier: string, serviceLevelToken: string) => async () => ({
  provider: mockProviderDefinition.create(Object.assign(new MockProviderOptions(), { initial_balance: 100 }), {
    carrierAccountId: randomUUID(),
    carrier,
    test: true,
    sql: sql(),
  }),
  carrier,
  serviceLevelToken,
});

describe('mock on PGlite', () => {
  let db: ClosableSqlClient;
  beforeAll(async () => {
    db = await createPgliteSqlClient();
  });
  afterAll(() => db.close());

  describeProviderContract('mock (PGlite, usps)', freshMock(() => db.client, 'usps', 'usps_priority'), {
    capabilities: mockProviderDefinition.capabilities,
  });
  // Without declared capabilities the suite decides the gated cases at run time.
  describeProviderContract('mock (PGlite, ups, run-time capabilities)', freshMock(() => db.client, 'ups', 'ups_ground'));
});

describe('mock on PostgreSQL', () => {
  let database: TestDatabase;
  let db: ClosableSqlClient;
  beforeAll(async () => {
    database = await createTestDatabase('shipbatch_test_mock');
    db = createPgSqlClient(database.url);
  });
  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  describeProviderContract('mock (PostgreSQL, fedex)', freshMock(() => db.client, 'fedex', 'fedex_ground'), {
    capabilities: mockProviderDefinition.capabilities,
  });
});
