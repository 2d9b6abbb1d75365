import { Injectable, NotFoundException } from '@nestjs/common';
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

