import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SecretBox } from '@shipbatch/platform/config';
import { normalizeRows } from '@shipbatch/platform/database';
import type {
  ClaimedDelivery,
  DeliveryLease,
  DueDelivery,
  RecordedAttempt,
  WebhookAttempt,
  WebhookBacklog,
  WebhookDeliveryRecord,
  WebhookDeliveryRepository,
  WebhookHealthChange,
} from '@shipbatch/shipping/application';
import { transition, WEBHOOK_DELIVERY_TRANSITIONS, type WebhookDeliveryState } from '@shipbatch/shipping/domain';
import { CLAIM_DUE_SQL, DUE_OF_SQL, RECORD_ATTEMPTS_SQL, RELAY_SQL } from './webhook-delivery.sql';

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

const DELIVERY_COLUMNS = 'id, webhook_id, event_id, event, object_id, status, attempts, last_status_code, last_error, next_attempt_at, created_at';

const date = (v: Date | string): Date => (v instanceof Date ? v : new Date(v));

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
      await this.dataSource.query(RELAY_SQL, [limit]),
    );
    return { events: Number(rows[0]?.events ?? 0), deliveries: Number(rows[0]?.deliveries ?? 0) };
  }

  async claimDue(limit: number, leaseMs: number): Promise<DeliveryLease> {
    const token = randomUUID();
    const rows = normalizeRows<{ id: string; webhook_id: string }>(await this.dataSource.query(CLAIM_DUE_SQL, [limit, leaseMs, token]));
    return { token, deliveries: rows.map((r) => ({ id: r.id, webhookId: r.webhook_id })) };
  }

  async dueOf(webhookId: string, limit: number): Promise<DueDelivery[]> {
    const rows = normalizeRows<{ id: string; attempts: number; first_attempt_at: Date | string | null }>(
      await this.dataSource.query(DUE_OF_SQL, [webhookId, limit]),
    );
    return rows.map((r) => ({ id: r.id, attempts: Number(r.attempts), firstAttemptAt: r.first_attempt_at ? date(r.first_attempt_at) : null }));
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
      event_at: Date | string;
    }>(
      await this.dataSource.query(
        `SELECT d.id, d.tenant_id, d.webhook_id, w.url, w.is_test, w.secret_ciphertext, w.consecutive_failures,
           d.event, d.object_id, d.event_payload, d.body, d.attempts, d.first_attempt_at, coalesce(e.created_at, d.created_at) AS event_at
         FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
         LEFT JOIN outbox_events e ON e.id = d.event_id
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
        eventAt: date(r.event_at),
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
          await m.query(RECORD_ATTEMPTS_SQL, [
            attempts.map((a) => a.id),
            steps.map((s) => s.to),
            attempts.map((a) => a.attempt.statusCode ?? null),
            attempts.map((a) => a.attempt.error ?? null),
            attempts.map((a) => a.nextAttemptAt ?? null),
            attempts.map((a) => a.attempt.at),
            attempts.map((a) => a.attempt.outcome),
            attempts.map((a) => Math.round(a.attempt.durationMs)),
            attempts.map((a) => a.ifStillDue === true),
          ]),
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
        // How many rounds in a row could not reach the receiver (0: it answered); above 0 a round is one probe.
        if (h.health === 'reachable') await m.query(`UPDATE webhooks SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0`, [h.webhookId]);
        else await m.query(`UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 WHERE id = $1 AND active`, [h.webhookId]);
      }
      return recorded;
    });
  }

  async backlog(): Promise<WebhookBacklog> {
    // Both counts ride partial indexes (pending deliveries by webhook; unpublished events).
    const [row] = normalizeRows<{ due: string | number; scheduled: string | number; unrelayed: string | number }>(
      await this.dataSource.query(
        `SELECT count(*) FILTER (WHERE next_attempt_at <= now()) AS due, count(*) FILTER (WHERE next_attempt_at > now()) AS scheduled,
           (SELECT count(*) FROM outbox_events WHERE published_at IS NULL) AS unrelayed
         FROM webhook_deliveries WHERE status = 'pending'`,
      ),
    );
    return { due: Number(row?.due ?? 0), scheduled: Number(row?.scheduled ?? 0), unrelayedEvents: Number(row?.unrelayed ?? 0) };
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
    // Asked for now: its webhook's receiver is tried again in full (the next round sends every due delivery, not a probe).
    if (rows[0]) await this.dataSource.query(`UPDATE webhooks SET consecutive_failures = 0 WHERE id = $1 AND consecutive_failures <> 0`, [webhookId]);
    return rows[0] ? toDelivery(rows[0]) : this.findById(tenantId, webhookId, id);
  }
}
