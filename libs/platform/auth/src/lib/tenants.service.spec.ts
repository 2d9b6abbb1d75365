import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request } from 'express';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { LOCK_FILE, lockDataDir, openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { tempDir } from '@shipbatch/platform/testing';
import { extractApiKey } from './api-key.guard';
import { ApiKeyEntity } from './api-key.entity';
import { TenantEntity } from './tenant.entity';
import { TenantsService } from './tenants.service';
import { replaceKey } from './demo-key';

/**
 * This library's two tables, as the service's first migration (InitialSchema1732262400000, in
 * shipping's data-access: the composition hands it to the database) makes them. Platform cannot
 * import shipping, so the spec makes them itself.
 */
class AuthTables1732262400000 implements MigrationInterface {
  name = 'AuthTables1732262400000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenants (
        id text PRIMARY KEY,
        name text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE api_keys (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id),
        key_hash text NOT NULL UNIQUE,
        key_prefix text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE api_keys, tenants`);
  }
}

const AUTH_SCHEMA = { entities: [TenantEntity, ApiKeyEntity], migrations: [AuthTables1732262400000] };

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
    db = await openDatabase({ dataDir: tempDir('shipbatch-auth-') }, AUTH_SCHEMA);
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

describe('replacing a lost key (npm run demo-key)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = tempDir('shipbatch-demo-key-');
    const db = await openDatabase({ dataDir }, AUTH_SCHEMA);
    try {
      const tenants = new TenantsService(db.dataSource);
      await tenants.create('demo');
      await tenants.create('twin');
      await tenants.create('twin');
    } finally {
      await db.close();
    }
  });

  it('revokes every key of the tenant and authenticates the new one, in this process at once', async () => {
    const db = await openDatabase({ dataDir: tempDir('shipbatch-auth-') }, AUTH_SCHEMA);
    try {
      const tenants = new TenantsService(db.dataSource);
      const { tenant, apiKey: first } = await tenants.create('acme');
      const second = await tenants.issueKey(tenant.id);
      const other = await tenants.create('other');
      expect(await tenants.authenticate(first)).toEqual(tenant); // cached now
      const replaced = await tenants.replaceKeys('acme');
      expect(replaced).toMatchObject({ tenant, revoked: 2 });
      expect(await tenants.authenticate(first)).toBeNull();
      expect(await tenants.authenticate(second)).toBeNull();
      expect(await tenants.authenticate(replaced.apiKey)).toEqual(tenant);
      expect(await tenants.authenticate(other.apiKey)).toEqual(other.tenant);
      expect((await tenants.replaceKeys(tenant.id)).revoked).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('opens the data directory of a stopped service when no service holds it', async () => {
    // No DATA_DIR/service.json (the lock): nothing runs, so the command opens the database itself.
    const replaced = await replaceKey({ DATA_DIR: dataDir });
    expect(replaced).toMatchObject({ via: 'data-dir', tenant: { name: 'demo' }, revoked: 1 });
    expect(replaced.apiKey).toMatch(/^sb_/);
    const db = await openDatabase({ dataDir }, AUTH_SCHEMA);
    try {
      const tenants = new TenantsService(db.dataSource);
      expect(await tenants.authenticate(replaced.apiKey)).toEqual(replaced.tenant);
      const active = await db.dataSource.query(
        `SELECT count(*)::int AS n FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE t.name = 'demo' AND k.revoked_at IS NULL`,
      );
      expect(active[0].n).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('names the tenants when the one asked for is unknown or ambiguous', async () => {
    await expect(replaceKey({ DATA_DIR: dataDir }, 'nobody')).rejects.toThrow(/no tenant .*'nobody'.*demo \(/);
    await expect(replaceKey({ DATA_DIR: dataDir }, 'twin')).rejects.toThrow(/2 tenants are named 'twin'/);
  });

  it('asks the process holding the data directory instead of opening it, and refuses while it does not answer', async () => {
    const dir = tempDir('shipbatch-demo-key-');
    // A live process (this one) holds the directory but does not listen yet.
    const lock = await lockDataDir(dir);
    try {
      await expect(replaceKey({ DATA_DIR: dir })).rejects.toThrow(
        new RegExp(`process ${process.pid} \\(.*not listening\\) holds ${dir}: a service that is starting`),
      );
      // It says it listens, but nothing answers there.
      lock.publish({ port: 9, token: 't' });
      await expect(replaceKey({ DATA_DIR: dir })).rejects.toThrow(/listening on port 9\) holds .* but does not answer on port 9/);
    } finally {
      lock.release();
    }
  });

  it('treats a lock file left by a dead process as stale', async () => {
    writeFileSync(join(dataDir, LOCK_FILE), JSON.stringify({ pid: 2 ** 22 + 1, nonce: 'gone', port: 1, token: 't', startedAt: '' }));
    await expect(replaceKey({ DATA_DIR: dataDir })).resolves.toMatchObject({ via: 'data-dir' });
  });

  it('leaves scale-out to the admin route', async () => {
    await expect(replaceKey({ DATABASE_URL: 'postgres://x' })).rejects.toThrow(/admin\/tenants/);
  });
});
