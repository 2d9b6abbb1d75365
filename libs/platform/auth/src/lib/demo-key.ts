import { HttpException } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DataDirLockedError,
  type DataDirHolder,
  describeHolder,
  LOCK_FILE,
  openDatabase,
  readDataDirHolder,
} from '@shipbatch/platform/database';
import { ApiKeyEntity } from './api-key.entity';
import { TenantEntity } from './tenant.entity';
import { type Tenant, TenantsService } from './tenants.service';

/** A new key for a tenant whose keys were all revoked, and how it was made. */
export interface ReplacedKey {
  tenant: Tenant;
  apiKey: string;
  revoked: number;
  /** `service`: asked the running service; `data-dir`: opened the stopped service's database. */
  via: 'service' | 'data-dir';
}

export class DemoKeyError extends Error {}

/**
 * `npm run demo-key [-- <tenant>]` (embedded mode): replaces the keys of a tenant (`demo` by
 * default). One process per data directory (the database library's DATA_DIR lock), so while a
 * process holds DATA_DIR the service is asked, over loopback with the token its lock file
 * (DATA_DIR/service.json) carries; when none does, the command takes the lock and opens the
 * data directory itself.
 */
export async function replaceKey(env: NodeJS.ProcessEnv, tenantRef = 'demo'): Promise<ReplacedKey> {
  if (env['DATABASE_URL']) {
    throw new DemoKeyError(
      'DATABASE_URL is set (scale-out): issue a key with POST /admin/tenants/<tenant_id>/api_keys and ADMIN_TOKEN instead',
    );
  }
  // The same default as loadConfig (./.data under the directory npm runs scripts in).
  const dataDir = resolve(env['DATA_DIR'] || './.data');
  const holder = readDataDirHolder(dataDir);
  if (holder) return askService(dataDir, holder, tenantRef);
  return replaceKeyInDataDir(dataDir, tenantRef);
}

/** The answer of the process holding the data directory, which must be a service that listens. */
async function askService(dataDir: string, holder: DataDirHolder, tenantRef: string): Promise<ReplacedKey> {
  if (holder.port === null || holder.token === null) {
    throw new DemoKeyError(
      `${describeHolder(holder)} holds ${dataDir}: a service that is starting (try again in a few seconds), ` +
        `or a command that does not listen (wait for it to finish)`,
    );
  }
  let res: Response;
  try {
    res = await fetch(`http://127.0.0.1:${holder.port}/local/api_keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${holder.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: tenantRef }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new DemoKeyError(
      `${describeHolder(holder)} holds ${dataDir} (see ${join(dataDir, LOCK_FILE)}) but does not answer on port ` +
        `${holder.port} (${(error as Error).message}); if it is stopping, try again`,
    );
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (res.status !== 201) {
    // The API's error shape: { errors: [{ message }] }.
    const errors = body['errors'] as Array<{ message?: unknown }> | undefined;
    const message = typeof errors?.[0]?.message === 'string' ? errors[0].message : JSON.stringify(body);
    throw new DemoKeyError(`the service answered ${res.status}: ${message}`);
  }
  return {
    tenant: { id: String(body['tenant_id']), name: String(body['name']) },
    apiKey: String(body['api_key']),
    revoked: Number(body['revoked']),
    via: 'service',
  };
}

/** The stopped service's data directory, opened here. Refuses when the directory has no database yet. */
export async function replaceKeyInDataDir(dataDir: string, tenantRef: string): Promise<ReplacedKey> {
  if (!existsSync(join(dataDir, 'pglite'))) {
    throw new DemoKeyError(`${dataDir} holds no database yet: \`npm start\` creates it and prints the demo key`);
  }
  try {
    // Takes DATA_DIR's lock first: refused if a process took it since readDataDirHolder looked.
    // No migrations: the service made the schema (its composition holds the list); a command uses it as it is.
    const db = await openDatabase({ dataDir }, { entities: [TenantEntity, ApiKeyEntity], migrations: [] });
    try {
      const result = await new TenantsService(db.dataSource).replaceKeys(tenantRef);
      return { ...result, via: 'data-dir' };
    } finally {
      await db.close();
    }
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      throw new DemoKeyError(`${describeHolder(error.holder)} took ${dataDir} just now; run the command again once it listens`);
    }
    if (error instanceof HttpException) throw new DemoKeyError(error.message); // unknown or ambiguous tenant
    throw error;
  }
}
