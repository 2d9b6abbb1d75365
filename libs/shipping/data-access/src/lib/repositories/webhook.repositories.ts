import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '@shipbatch/platform/config';
import { normalizeRows } from '@shipbatch/platform/database';
import type {
  ClaimedDelivery,
  WebhookAttempt,
  WebhookDeliveryRecord,
  WebhookDeliveryRepository,
  WebhookRecord,
  WebhookRepository,
} from '@shipbatch/shipping/application';
import { transition, WEBHOOK_DELIVERY_TRANSITIONS, type WebhookDeliveryState, type WebhookDeliveryTransition, type WebhookEvent } from '@shipbatch/shipping/domain';

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

interface DeliveryRow {
  id: string;
  webhook_id: string;
  event_id: string | number;
  event: string;
  object_id: string;
  status: WebhookDeliveryState;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  next_attempt_at: Date | string | null;
  created_at: Date | string;
}

const WEBHOOK_COLUMNS = 'id, tenant_id, url, event, is_test, active, disabled_reason, created_at, updated_at';
const DELIVERY_COLUMNS = 'id, webhook_id, event_id, event, object_id, status, attempts, last_status_code, last_error, next_attempt_at, created_at';
/** A delivery's id as the receiver sees it (`webhook-id`): `msg_` and 32 hex, the same on every retry. */
const NEW_DELIVERY_ID = `'msg_' || replace(gen_random_uuid()::text, '-', '')`;

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

function toDelivery(r: DeliveryRow): WebhookDeliveryRecord {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    eventId: String(r.event_id),
    event: r.event,
    objectId: r.object_id,
    status: r.status,
    attempts: r.attempts,
    lastStatusCode: r.last_status_code,
    lastError: r.last_error,
    nextAttemptAt: r.status === 'pending' && r.next_attempt_at ? date(r.next_attempt_at) : null,
    createdAt: date(r.created_at),
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

/**
 * Deliveries: the relay's fan-out, the leases workers send under, and every attempt. Each change
 * of a delivery's status is a transition of the domain's machine, applied as a conditional
 * update on the status it starts from.
 */
@Injectable()
export class TypeormWebhookDeliveryRepository implements WebhookDeliveryRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
  ) {}

  async relay(limit: number): Promise<{ events: number; deliveries: number }> {
    const rows = normalizeRows<{ events: string | number; deliveries: string | number }>(
      await this.dataSource.query(
        `WITH ev AS (
           SELECT id, tenant_id, type, object_id, payload, created_at FROM outbox_events
           WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
         ), made AS (
           INSERT INTO webhook_deliveries (id, tenant_id, webhook_id, event_id, event, object_id, event_payload, test, status, next_attempt_at)
           SELECT ${NEW_DELIVERY_ID}, ev.tenant_id, w.id, ev.id, ev.type, ev.object_id, ev.payload, w.is_test, 'pending', now()
           FROM ev JOIN webhooks w ON w.tenant_id = ev.tenant_id AND w.active
             AND (w.event = ev.type OR w.event = 'all') AND w.created_at <= ev.created_at
           ON CONFLICT (webhook_id, event_id) DO NOTHING
           RETURNING id
         ), published AS (
           UPDATE outbox_events o SET published_at = now() FROM ev WHERE o.id = ev.id RETURNING o.id
         )
         SELECT (SELECT count(*) FROM published) AS events, (SELECT count(*) FROM made) AS deliveries`,
        [limit],
      ),
    );
    return { events: Number(rows[0]?.events ?? 0), deliveries: Number(rows[0]?.deliveries ?? 0) };
  }

  async claimDue(limit: number, leaseMs: number): Promise<string[]> {
    const rows = normalizeRows<{ id: string }>(
      await this.dataSource.query(
        `WITH due AS (
           SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id AND w.active
           WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND (d.lease_until IS NULL OR d.lease_until < now())
           ORDER BY d.next_attempt_at, d.id LIMIT $1 FOR UPDATE OF d SKIP LOCKED
         )
         UPDATE webhook_deliveries d SET lease_until = now() + ($2::double precision * interval '1 millisecond')
         FROM due WHERE d.id = due.id RETURNING d.id`,
        [limit, leaseMs],
      ),
    );
    return rows.map((r) => r.id);
  }

  async load(id: string): Promise<ClaimedDelivery | null> {
    const rows = normalizeRows<{
      id: string;
      tenant_id: string;
      webhook_id: string;
      url: string;
      is_test: boolean;
      secret_ciphertext: string;
      event: string;
      object_id: string;
      event_payload: Record<string, unknown> | string | null;
      body: string | null;
      attempts: number;
      first_attempt_at: Date | string | null;
    }>(
      await this.dataSource.query(
        `SELECT d.id, d.tenant_id, d.webhook_id, w.url, w.is_test, w.secret_ciphertext, d.event, d.object_id, d.event_payload, d.body, d.attempts, d.first_attempt_at
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         WHERE d.id = $1 AND d.status = 'pending' AND d.lease_until > now() AND w.active`,
        [id],
      ),
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      tenantId: r.tenant_id,
      webhookId: r.webhook_id,
      url: r.url,
      isTest: r.is_test,
      secret: this.box.open(r.secret_ciphertext),
      event: r.event,
      objectId: r.object_id,
      eventPayload: (typeof r.event_payload === 'string' ? JSON.parse(r.event_payload) : r.event_payload) ?? {},
      body: r.body,
      attempts: r.attempts,
      firstAttemptAt: r.first_attempt_at ? date(r.first_attempt_at) : null,
    };
  }

  async keepBody(id: string, body: string): Promise<string> {
    const rows = normalizeRows<{ body: string }>(
      await this.dataSource.query(`UPDATE webhook_deliveries SET body = COALESCE(body, $2) WHERE id = $1 RETURNING body`, [id, body]),
    );
    return rows[0]?.body ?? body;
  }

  async recordAttempt(
    id: string,
    attempt: WebhookAttempt,
    next: { transition: WebhookDeliveryTransition; nextAttemptAt?: Date; disableWebhook?: string },
  ): Promise<boolean> {
    const step = transition(WEBHOOK_DELIVERY_TRANSITIONS, next.transition, 'pending');
    return this.dataSource.transaction(async (m) => {
      const rows = normalizeRows<{ webhook_id: string }>(
        await m.query(
          `UPDATE webhook_deliveries SET status = $2, attempts = attempts + 1, last_status_code = $3, last_error = $4,
             next_attempt_at = COALESCE($5, next_attempt_at), first_attempt_at = COALESCE(first_attempt_at, $6),
             lease_until = NULL, updated_at = now()
           WHERE id = $1 AND status = ANY($7::text[])
           RETURNING webhook_id`,
          [id, step.to, attempt.statusCode ?? null, attempt.error ?? null, next.nextAttemptAt ?? null, attempt.at, step.from],
        ),
      );
      if (rows.length === 0) return false;
      await m.query(
        `INSERT INTO webhook_attempts (delivery_id, attempted_at, outcome, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6)`,
        [id, attempt.at, attempt.outcome, attempt.statusCode ?? null, attempt.error ?? null, Math.round(attempt.durationMs)],
      );
      if (next.disableWebhook) {
        await m.query(`UPDATE webhooks SET active = false, disabled_reason = $2, updated_at = now() WHERE id = $1`, [rows[0].webhook_id, next.disableWebhook]);
        // Nothing more goes to a receiver that said it is gone.
        const gaveUp = transition(WEBHOOK_DELIVERY_TRANSITIONS, 'gave_up', 'pending');
        await m.query(
          `UPDATE webhook_deliveries SET status = $2, last_error = COALESCE(last_error, $3), lease_until = NULL, updated_at = now()
           WHERE webhook_id = $1 AND status = ANY($4::text[])`,
          [rows[0].webhook_id, gaveUp.to, 'the webhook was disabled (410 Gone)', gaveUp.from],
        );
      }
      return true;
    });
  }

  async list(tenantId: string, webhookId: string, page: number, pageSize: number): Promise<{ results: WebhookDeliveryRecord[]; count: number }> {
    const rows = normalizeRows<DeliveryRow>(
      await this.dataSource.query(
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE tenant_id = $1 AND webhook_id = $2
         ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4`,
        [tenantId, webhookId, pageSize, (page - 1) * pageSize],
      ),
    );
    const [{ count }] = normalizeRows<{ count: string | number }>(
      await this.dataSource.query(`SELECT count(*) AS count FROM webhook_deliveries WHERE tenant_id = $1 AND webhook_id = $2`, [tenantId, webhookId]),
    );
    return { results: rows.map(toDelivery), count: Number(count) };
  }

  async findById(tenantId: string, webhookId: string, id: string): Promise<WebhookDeliveryRecord | null> {
    const rows = normalizeRows<DeliveryRow>(
      await this.dataSource.query(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE tenant_id = $1 AND webhook_id = $2 AND id = $3`, [tenantId, webhookId, id]),
    );
    return rows[0] ? toDelivery(rows[0]) : null;
  }

  async attempts(deliveryId: string): Promise<WebhookAttempt[]> {
    const rows = normalizeRows<{ attempted_at: Date | string; outcome: WebhookAttempt['outcome']; status_code: number | null; error: string | null; duration_ms: number }>(
      await this.dataSource.query(`SELECT attempted_at, outcome, status_code, error, duration_ms FROM webhook_attempts WHERE delivery_id = $1 ORDER BY id`, [deliveryId]),
    );
    return rows.map((r) => ({
      at: date(r.attempted_at),
      outcome: r.outcome,
      ...(r.status_code !== null ? { statusCode: r.status_code } : {}),
      ...(r.error !== null ? { error: r.error } : {}),
      durationMs: r.duration_ms,
    }));
  }

  async redeliver(tenantId: string, webhookId: string, id: string): Promise<WebhookDeliveryRecord | null> {
    const found = await this.findById(tenantId, webhookId, id);
    if (!found) return null;
    const from = found.status === 'pending' ? null : transition(WEBHOOK_DELIVERY_TRANSITIONS, 'redeliver', found.status);
    const rows = normalizeRows<DeliveryRow>(
      await this.dataSource.query(
        `UPDATE webhook_deliveries SET status = $5, next_attempt_at = now(), lease_until = NULL,
           first_attempt_at = CASE WHEN status = $5 THEN first_attempt_at ELSE NULL END, updated_at = now()
         WHERE tenant_id = $1 AND webhook_id = $2 AND id = $3 AND status = ANY($4::text[])
         RETURNING ${DELIVERY_COLUMNS}`,
        [tenantId, webhookId, id, from ? from.from : ['pending'], from ? from.to : 'pending'],
      ),
    );
    return rows[0] ? toDelivery(rows[0]) : this.findById(tenantId, webhookId, id);
  }
}
