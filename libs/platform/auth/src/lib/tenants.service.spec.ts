import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'express';
import { openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { extractApiKey } from './api-key.guard';
import { ApiKeyEntity } from './api-key.entity';
import { TenantEntity } from './tenant.entity';
import { TenantsService } from './tenants.service';

describe('extractApiKey', () => {
  const req = (headers: Record<string, string>) => ({ headers }) as unknown as Request;
  it('reads ShippoToken, Bearer and API-Key', () => {
    expect(extractApiKey(req({ authorization: 'ShippoToken abc' }))).toBe('abc');
    expect(extractApiKey(req({ authorization: 'Bearer abc' }))).toBe('abc');
    expect(extractApiKey(req({ 'api-key': 'abc' }))).toBe('abc');
    expect(extractApiKey(req({ authorization: 'Basic abc' }))).toBeUndefined();
    expect(extractApiKey(req({}))).toBeUndefined();
  });
});

describe('TenantsService (embedded database)', () => {
  let db: DatabaseHandle;
  let tenants: TenantsService;
  beforeAll(async () => {
    db = await openDatabase({ dataDir: mkdtempSync(join(tmpdir(), 'shipbatch-auth-')) }, [TenantEntity, ApiKeyEntity]);
    tenants = new TenantsService(db.dataSource);
  });
  afterAll(() => db.close());

  it('issues keys that authenticate their tenant and stores only their hash', async () => {
    const { tenant, apiKey } = await tenants.create('acme');
    expect(await tenants.authenticate(apiKey)).toEqual(tenant);
    const second = await tenants.issueKey(tenant.id);
    expect(await tenants.authenticate(second)).toEqual(tenant);
    expect(await tenants.authenticate(apiKey + 'x')).toBeNull();
    const stored = JSON.stringify(await db.dataSource.query('SELECT * FROM api_keys'));
    expect(stored).not.toContain(apiKey);
  });
});
