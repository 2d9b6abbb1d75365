import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '@shipbatch/platform/config';
import { normalizeRows } from '@shipbatch/platform/database';
import type { WebhookRecord, WebhookRepository } from '@shipbatch/shipping/application';
import type { WebhookEvent } from '@shipbatch/shipping/domain';

interface WebhookRow {
  id: string;
  tenant_id: string;
  url: string;
  event: WebhookEvent;
  is_test: boolean;
  active: boolean;
  disabled_reason: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const WEBHOOK_COLUMNS = 'id, tenant_id, url, event, is_test, active, disabled_reason, created_at, updated_at';

const date = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

function toWebhook(r: WebhookRow): WebhookRecord {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    url: r.url,
    event: r.event,
    isTest: r.is_test,
    active: r.active,
    disabledReason: r.disabled_reason,
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
  };
}

/** Webhooks with their signing secrets sealed (AES-256-GCM) at rest. */
@Injectable()
export class TypeormWebhookRepository implements WebhookRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
  ) {}

  async insert(r: WebhookRecord, secret: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO webhooks (id, tenant_id, url, event, is_test, active, secret_ciphertext, disabled_reason, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [r.id, r.tenantId, r.url, r.event, r.isTest, r.active, this.box.seal(secret), r.disabledReason, r.createdAt, r.updatedAt],
    );
  }

  async findById(tenantId: string, id: string): Promise<WebhookRecord | null> {
    const rows = normalizeRows<WebhookRow>(await this.dataSource.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE tenant_id = $1 AND id = $2`, [tenantId, id]));
    return rows[0] ? toWebhook(rows[0]) : null;
  }

  async list(tenantId: string, page: number, pageSize: number): Promise<{ results: WebhookRecord[]; count: number }> {
    const rows = normalizeRows<WebhookRow>(
      await this.dataSource.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2 OFFSET $3`, [
        tenantId,
        pageSize,
        (page - 1) * pageSize,
      ]),
    );
    const [{ count }] = normalizeRows<{ count: string | number }>(await this.dataSource.query(`SELECT count(*) AS count FROM webhooks WHERE tenant_id = $1`, [tenantId]));
    return { results: rows.map(toWebhook), count: Number(count) };
  }

  async update(tenantId: string, id: string, patch: Partial<Pick<WebhookRecord, 'url' | 'event' | 'active' | 'isTest'>>): Promise<WebhookRecord | null> {
    const rows = normalizeRows<WebhookRow>(
      await this.dataSource.query(
        `UPDATE webhooks SET
           url = COALESCE($3, url), event = COALESCE($4, event), is_test = COALESCE($5, is_test), active = COALESCE($6, active),
           disabled_reason = CASE WHEN $6::boolean IS TRUE THEN NULL ELSE disabled_reason END,
           updated_at = now()
         WHERE tenant_id = $1 AND id = $2
         RETURNING ${WEBHOOK_COLUMNS}`,
        [tenantId, id, patch.url ?? null, patch.event ?? null, patch.isTest ?? null, patch.active ?? null],
      ),
    );
    return rows[0] ? toWebhook(rows[0]) : null;
  }

  async delete(tenantId: string, id: string): Promise<boolean> {
    const rows = normalizeRows<{ id: string }>(await this.dataSource.query(`DELETE FROM webhooks WHERE tenant_id = $1 AND id = $2 RETURNING id`, [tenantId, id]));
    return rows.length > 0;
  }
}
