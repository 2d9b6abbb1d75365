import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '@shipbatch/platform/config';
import { normalizeRows } from '@shipbatch/platform/database';
import type {
  ClaimedDelivery,
  DeliveryLease,
  RecordedAttempt,
  WebhookAttempt,
  WebhookDeliveryRecord,
  WebhookDeliveryRepository,
  WebhookHealthChange,
  WebhookRecord,
  WebhookRepository,
} from '@shipbatch/shipping/application';
import { transition, WEBHOOK_DELIVERY_TRANSITIONS, type WebhookDeliveryState, type WebhookEvent } from '@shipbatch/shipping/domain';

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

  async claimDue(limit: number, leaseMs: number): Promise<DeliveryLease> {
    const token = randomUUID();
    // Each webhook's due deliveries in order (an index range scan each), numbered; a failing
    // webhook past its hold offers one, when none of its deliveries is out. Then round by round across webhooks, oldest due first
    // within a round; locked and leased under the new token.
    const rows = normalizeRows<{ id: string; webhook_id: string }>(
      await this.dataSource.query(
        `WITH offered AS (
           SELECT o.id, o.webhook_id, o.next_attempt_at, o.round FROM webhooks w
           CROSS JOIN LATERAL (
             SELECT d.id, d.webhook_id, d.next_attempt_at, row_number() OVER (ORDER BY d.next_attempt_at, d.id) AS round
             FROM webhook_deliveries d
             WHERE d.webhook_id = w.id AND d.status = 'pending' AND d.next_attempt_at <= now()
               AND (d.lease_until IS NULL OR d.lease_until < now())
             ORDER BY d.next_attempt_at, d.id
             LIMIT CASE WHEN w.consecutive_failures > 0 THEN 1 ELSE $1 END
           ) o
           WHERE w.active AND (w.held_until IS NULL OR w.held_until <= now())
             -- A failing webhook's probe goes alone: none while one of its deliveries is out.
             AND (w.consecutive_failures = 0 OR NOT EXISTS (
               SELECT 1 FROM webhook_deliveries l WHERE l.webhook_id = w.id AND l.status = 'pending' AND l.lease_until >= now()))
         ), picked AS (
           SELECT id FROM offered ORDER BY round, next_attempt_at, id LIMIT $1
         ), locked AS (
           SELECT d.id FROM webhook_deliveries d JOIN picked ON picked.id = d.id
           WHERE d.status = 'pending' AND (d.lease_until IS NULL OR d.lease_until < now())
           FOR UPDATE OF d SKIP LOCKED
         )
         UPDATE webhook_deliveries d SET lease_until = now() + ($2::double precision * interval '1 millisecond'), lease_token = $3
         FROM locked WHERE d.id = locked.id RETURNING d.id, d.webhook_id`,
        [limit, leaseMs, token],
      ),
    );
    return { token, deliveries: rows.map((r) => ({ id: r.id, webhookId: r.webhook_id })) };
  }

  async loadLeased(ids: readonly string[], token: string): Promise<ClaimedDelivery[]> {
    if (ids.length === 0) return [];
    const rows = normalizeRows<{
      id: string;
      tenant_id: string;
      webhook_id: string;
      url: string;
      is_test: boolean;
      secret_ciphertext: string;
      consecutive_failures: number;
      event: string;
      object_id: string;
      event_payload: Record<string, unknown> | string | null;
      body: string | null;
      attempts: number;
      first_attempt_at: Date | string | null;
    }>(
      await this.dataSource.query(
        `SELECT d.id, d.tenant_id, d.webhook_id, w.url, w.is_test, w.secret_ciphertext, w.consecutive_failures,
           d.event, d.object_id, d.event_payload, d.body, d.attempts, d.first_attempt_at
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         WHERE d.id = ANY($1::text[]) AND d.lease_token = $2 AND d.status = 'pending' AND d.lease_until > now() AND w.active
         ORDER BY d.next_attempt_at, d.id`,
        [[...ids], token],
      ),
    );
    const secrets = new Map<string, string>();
    return rows.map((r) => {
      // One webhook's secret is opened once a job.
      let secret = secrets.get(r.webhook_id);
      if (secret === undefined) secrets.set(r.webhook_id, (secret = this.box.open(r.secret_ciphertext)));
      return {
        id: r.id,
        tenantId: r.tenant_id,
        webhookId: r.webhook_id,
        url: r.url,
        isTest: r.is_test,
        secret,
        event: r.event,
        objectId: r.object_id,
        eventPayload: (typeof r.event_payload === 'string' ? JSON.parse(r.event_payload) : r.event_payload) ?? {},
        body: r.body,
        attempts: r.attempts,
        firstAttemptAt: r.first_attempt_at ? date(r.first_attempt_at) : null,
        webhookFailures: Number(r.consecutive_failures),
      };
    });
  }

  async keepBodies(bodies: ReadonlyArray<{ id: string; body: string }>): Promise<Map<string, string>> {
    if (bodies.length === 0) return new Map();
    const rows = normalizeRows<{ id: string; body: string }>(
      await this.dataSource.query(
        `UPDATE webhook_deliveries d SET body = COALESCE(d.body, v.body)
         FROM unnest($1::text[], $2::text[]) AS v(id, body) WHERE d.id = v.id RETURNING d.id, d.body`,
        [bodies.map((b) => b.id), bodies.map((b) => b.body)],
      ),
    );
    const kept = new Map(rows.map((r) => [r.id, r.body]));
    // A delivery deleted meanwhile (its webhook was) keeps nothing; its send is refused by load next time.
    for (const b of bodies) if (!kept.has(b.id)) kept.set(b.id, b.body);
    return kept;
  }

  async recordAttempts(attempts: ReadonlyArray<RecordedAttempt>, health: ReadonlyArray<WebhookHealthChange>): Promise<string[]> {
    if (attempts.length === 0 && health.length === 0) return [];
    // Every attempt's transition starts from pending (the domain's machine says so, or throws).
    const steps = attempts.map((a) => transition(WEBHOOK_DELIVERY_TRANSITIONS, a.transition, 'pending'));
    return this.dataSource.transaction(async (m) => {
      let recorded: string[] = [];
      if (attempts.length > 0) {
        const rows = normalizeRows<{ delivery_id: string }>(
          await m.query(
            `WITH v AS (
               SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::text[], $5::timestamptz[], $6::timestamptz[], $7::text[], $8::integer[])
                 AS v(id, to_status, status_code, error, next_at, at, outcome, duration_ms)
             ), changed AS (
               UPDATE webhook_deliveries d SET status = v.to_status, attempts = d.attempts + 1, last_status_code = v.status_code, last_error = v.error,
                 next_attempt_at = COALESCE(v.next_at, d.next_attempt_at), first_attempt_at = COALESCE(d.first_attempt_at, v.at),
                 lease_until = NULL, lease_token = NULL, updated_at = now()
               FROM v WHERE d.id = v.id AND d.status = 'pending'
               RETURNING d.id
             )
             INSERT INTO webhook_attempts (delivery_id, attempted_at, outcome, status_code, error, duration_ms)
             SELECT v.id, v.at, v.outcome, v.status_code, v.error, v.duration_ms FROM v JOIN changed ON changed.id = v.id
             ORDER BY v.at, v.id
             RETURNING delivery_id`,
            [
              attempts.map((a) => a.id),
              steps.map((s) => s.to),
              attempts.map((a) => a.attempt.statusCode ?? null),
              attempts.map((a) => a.attempt.error ?? null),
              attempts.map((a) => a.nextAttemptAt ?? null),
              attempts.map((a) => a.attempt.at),
              attempts.map((a) => a.attempt.outcome),
              attempts.map((a) => Math.round(a.attempt.durationMs)),
            ],
          ),
        );
        recorded = rows.map((r) => r.delivery_id);
      }
      const done = new Set(recorded);
      for (const a of attempts) {
        if (!a.disableWebhook || !done.has(a.id)) continue;
        const [row] = normalizeRows<{ webhook_id: string }>(await m.query(`SELECT webhook_id FROM webhook_deliveries WHERE id = $1`, [a.id]));
        if (!row) continue;
        await m.query(`UPDATE webhooks SET active = false, disabled_reason = $2, updated_at = now() WHERE id = $1`, [row.webhook_id, a.disableWebhook]);
        // Nothing more goes to a receiver that said it is gone.
        const gaveUp = transition(WEBHOOK_DELIVERY_TRANSITIONS, 'gave_up', 'pending');
        await m.query(
          `UPDATE webhook_deliveries SET status = $2, last_error = COALESCE(last_error, $3), lease_until = NULL, lease_token = NULL, updated_at = now()
           WHERE webhook_id = $1 AND status = ANY($4::text[])`,
          [row.webhook_id, gaveUp.to, 'the webhook was disabled (410 Gone)', gaveUp.from],
        );
      }
      for (const h of health) {
        if (h.health === 'healthy') {
          await m.query(`UPDATE webhooks SET consecutive_failures = 0, held_until = NULL WHERE id = $1 AND (consecutive_failures <> 0 OR held_until IS NOT NULL)`, [h.webhookId]);
          continue;
        }
        await m.query(`UPDATE webhooks SET consecutive_failures = consecutive_failures + 1, held_until = $2 WHERE id = $1 AND active`, [h.webhookId, h.holdUntil]);
        // Deliveries due for the whole window while the receiver failed give up, as an attempt would.
        const gaveUp = transition(WEBHOOK_DELIVERY_TRANSITIONS, 'gave_up', 'pending');
        await m.query(
          `UPDATE webhook_deliveries SET status = $2, last_error = COALESCE(last_error, $3), updated_at = now()
           WHERE webhook_id = $1 AND status = ANY($4::text[]) AND COALESCE(first_attempt_at, next_attempt_at) < $5
             AND (lease_until IS NULL OR lease_until < now())`,
          [h.webhookId, gaveUp.to, 'the receiver failed for the whole retry window', gaveUp.from, h.giveUpBefore],
        );
      }
      return recorded;
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
        `UPDATE webhook_deliveries SET status = $5, next_attempt_at = now(), lease_until = NULL, lease_token = NULL,
           first_attempt_at = CASE WHEN status = $5 THEN first_attempt_at ELSE NULL END, updated_at = now()
         WHERE tenant_id = $1 AND webhook_id = $2 AND id = $3 AND status = ANY($4::text[])
         RETURNING ${DELIVERY_COLUMNS}`,
        [tenantId, webhookId, id, from ? from.from : ['pending'], from ? from.to : 'pending'],
      ),
    );
    // Asked for now: a held webhook sends it as its next probe at once (still one at a time).
    if (rows[0]) await this.dataSource.query(`UPDATE webhooks SET held_until = NULL WHERE id = $1 AND held_until IS NOT NULL`, [webhookId]);
    return rows[0] ? toDelivery(rows[0]) : this.findById(tenantId, webhookId, id);
  }
}
