import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { hashApiKey, newApiKey, newObjectId } from '@shipbatch/platform/config';
import { ApiKeyEntity } from './api-key.entity';
import { TenantEntity } from './tenant.entity';

export interface Tenant {
  id: string;
  name: string;
}

@Injectable()
export class TenantsService {
  private readonly cache = new Map<string, { tenant: Tenant; at: number }>();

  constructor(private readonly dataSource: DataSource) {}

  async create(name: string): Promise<{ tenant: Tenant; apiKey: string }> {
    return this.dataSource.transaction(async (m) => {
      const tenant = { id: newObjectId(), name };
      await m.getRepository(TenantEntity).insert({ ...tenant });
      const apiKey = await this.issueKeyWith(m.getRepository(ApiKeyEntity), tenant.id);
      return { tenant, apiKey };
    });
  }

  async issueKey(tenantId: string): Promise<string> {
    const exists = await this.dataSource.getRepository(TenantEntity).existsBy({ id: tenantId });
    if (!exists) throw new NotFoundException(`tenant '${tenantId}' was not found`);
    return this.issueKeyWith(this.dataSource.getRepository(ApiKeyEntity), tenantId);
  }

  /**
   * Replaces every key of a tenant (by id, or by name when that name is unique): the old keys
   * are revoked and stop authenticating at once in this process, the new key is returned (and
   * stored only as its hash). For a lost demo key: `npm run demo-key`.
   */
  async replaceKeys(tenantRef: string): Promise<{ tenant: Tenant; apiKey: string; revoked: number }> {
    const result = await this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(TenantEntity);
      let tenant = await repo.findOne({ where: { id: tenantRef }, select: ['id', 'name'] });
      if (!tenant) {
        const named = await repo.find({ where: { name: tenantRef }, select: ['id', 'name'], take: 10 });
        if (named.length > 1) {
          throw new ConflictException(
            `${named.length} tenants are named '${tenantRef}'; name one by id: ${named.map((t) => t.id).join(', ')}`,
          );
        }
        tenant = named[0] ?? null;
      }
      if (!tenant) {
        const known = await repo.find({ select: ['id', 'name'], order: { createdAt: 'ASC' }, take: 20 });
        const list = known.map((t) => `${t.name} (${t.id})`).join(', ') || 'none';
        throw new NotFoundException(`no tenant has the id or name '${tenantRef}'; tenants: ${list}`);
      }
      const revoked = normalizeCount(
        await m.query(`UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1 AND revoked_at IS NULL RETURNING id`, [
          tenant.id,
        ]),
      );
      const apiKey = await this.issueKeyWith(m.getRepository(ApiKeyEntity), tenant.id);
      return { tenant: { id: tenant.id, name: tenant.name }, apiKey, revoked };
    });
    for (const [hash, hit] of this.cache) if (hit.tenant.id === result.tenant.id) this.cache.delete(hash);
    return result;
  }

  async countTenants(): Promise<number> {
    return this.dataSource.getRepository(TenantEntity).count();
  }

  /** The tenant a key belongs to, or null. Answers are cached for a few seconds. */
  async authenticate(apiKey: string): Promise<Tenant | null> {
    const hash = hashApiKey(apiKey);
    const hit = this.cache.get(hash);
    if (hit && Date.now() - hit.at < 5_000) return hit.tenant;
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query(
      `SELECT t.id, t.name FROM api_keys k JOIN tenants t ON t.id = k.tenant_id
       WHERE k.key_hash = $1 AND k.revoked_at IS NULL`,
      [hash],
    );
    if (!rows[0]) return null;
    this.cache.set(hash, { tenant: rows[0], at: Date.now() });
    return rows[0];
  }

  private async issueKeyWith(repo: ReturnType<DataSource['getRepository']>, tenantId: string): Promise<string> {
    const key = newApiKey();
    await repo.insert({ id: newObjectId(), tenantId, keyHash: hashApiKey(key), keyPrefix: key.slice(0, 8), revokedAt: null });
    return key;
  }
}


/** TypeORM answers UPDATE ... RETURNING on postgres with [rows, count]. */
function normalizeCount(result: unknown): number {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') {
    return result[1];
  }
  return Array.isArray(result) ? result.length : 0;
}
