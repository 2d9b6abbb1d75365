import { HttpException } from '@nestjs/common';
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openDatabase } from '@shipbatch/platform/database';
import { ApiKeyEntity } from './api-key.entity';
import { processAlive, readServiceFile } from './local-control';
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
 * default). PGlite is single-process, so while the service runs (DATA_DIR/service.json names
 * a live process) the service itself is asked, over loopback with that file's token; when it
 * is stopped, the data directory is opened directly (under DATA_DIR/demo-key.lock).
 */
export async function replaceKey(env: NodeJS.ProcessEnv, tenantRef = 'demo'): Promise<ReplacedKey> {
  if (env['DATABASE_URL']) {
    throw new DemoKeyError(
      'DATABASE_URL is set (scale-out): issue a key with POST /admin/tenants/<tenant_id>/api_keys and ADMIN_TOKEN instead',
    );
  }
  // The same default as loadConfig (./.data under the directory npm runs scripts in).
  const dataDir = resolve(env['DATA_DIR'] || './.data');
  const viaService = await askService(dataDir, tenantRef);
  if (viaService) return viaService;
  return replaceKeyInDataDir(dataDir, tenantRef);
}

/** The running service's answer, or undefined when no service has the data directory open. */
async function askService(dataDir: string, tenantRef: string): Promise<ReplacedKey | undefined> {
  const service = readServiceFile(dataDir);
  if (!service || !processAlive(service.pid)) return undefined;
  if (service.port === null) {
    throw new DemoKeyError(`the service (pid ${service.pid}) is starting with ${dataDir}; try again in a few seconds`);
  }
  let res: Response;
  try {
    res = await fetch(`http://127.0.0.1:${service.port}/local/api_keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${service.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ tenant: tenantRef }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new DemoKeyError(
      `process ${service.pid} holds ${dataDir} (see ${join(dataDir, 'service.json')}) but does not answer on port ` +
        `${service.port} (${(error as Error).message}); if it is stopping, try again; if it is no Shipbatch ` +
        `service, delete that file`,
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
  const release = lock(join(dataDir, 'demo-key.lock'));
  try {
    // Checked again under the lock: a service may have started since.
    const service = readServiceFile(dataDir);
    if (service && processAlive(service.pid)) {
      throw new DemoKeyError(`the service (pid ${service.pid}) just started with ${dataDir}; run the command again`);
    }
    const db = await openDatabase({ dataDir }, [TenantEntity, ApiKeyEntity]);
    try {
      const result = await new TenantsService(db.dataSource).replaceKeys(tenantRef);
      return { ...result, via: 'data-dir' };
    } finally {
      await db.close();
    }
  } catch (error) {
    if (error instanceof HttpException) throw new DemoKeyError(error.message); // unknown or ambiguous tenant
    throw error;
  } finally {
    release();
  }
}

/** An exclusive lock file holding our pid; a lock left by a dead process is taken over. */
function lock(file: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && processAlive(holder)) {
        throw new DemoKeyError(`another demo-key command (pid ${holder}) is using the data directory`);
      }
      unlinkSync(file); // stale
    }
  }
  throw new DemoKeyError(`could not lock ${file}`);
}
