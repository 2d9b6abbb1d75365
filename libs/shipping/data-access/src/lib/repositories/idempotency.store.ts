import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { normalizeRows } from '@shipbatch/platform/database';
import {
  IDEMPOTENCY_IN_PROGRESS_TIMEOUT_MS,
  IDEMPOTENCY_TTL_MS,
  type IdempotencyRecord,
  type IdempotencyStore,
} from '@shipbatch/shipping/application';

interface Row {
  request_hash: string;
  state: 'in_progress' | 'done';
  status_code: number | null;
  response: unknown;
}

@Injectable()
export class TypeormIdempotencyStore implements IdempotencyStore {
  constructor(private readonly dataSource: DataSource) {}

  async begin(tenantId: string, key: string, requestHash: string): Promise<IdempotencyRecord | null> {
    // One statement: insert, or take over an expired key or a dead request's key.
    const taken = normalizeRows<{ key: string }>(
      await this.dataSource.query(
        `INSERT INTO idempotency_keys (tenant_id, key, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, state = 'in_progress', status_code = NULL, response = NULL,
               created_at = now(), updated_at = now()
           WHERE idempotency_keys.created_at < now() - make_interval(secs => $4::double precision / 1000)
              OR (idempotency_keys.state = 'in_progress'
                  AND idempotency_keys.updated_at < now() - make_interval(secs => $5::double precision / 1000))
         RETURNING key`,
        [tenantId, key, requestHash, IDEMPOTENCY_TTL_MS, IDEMPOTENCY_IN_PROGRESS_TIMEOUT_MS],
      ),
    );
    if (taken.length > 0) return null;
    const [row] = normalizeRows<Row>(
      await this.dataSource.query(
        `SELECT request_hash, state, status_code, response FROM idempotency_keys WHERE tenant_id = $1 AND key = $2`,
        [tenantId, key],
      ),
    );
    // Released between the two statements: try once more.
    if (!row) return this.begin(tenantId, key, requestHash);
    return { requestHash: row.request_hash, state: row.state, statusCode: row.status_code, response: row.response };
  }

  async complete(tenantId: string, key: string, statusCode: number, response: unknown): Promise<void> {
    await this.dataSource.query(
      `UPDATE idempotency_keys SET state = 'done', status_code = $3, response = $4::jsonb, updated_at = now()
       WHERE tenant_id = $1 AND key = $2`,
      [tenantId, key, statusCode, JSON.stringify(response ?? null)],
    );
  }

  async release(tenantId: string, key: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND state = 'in_progress'`, [
      tenantId,
      key,
    ]);
  }
}
