import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook delivery in batches, fairly:
 * - `lease_token`: the claim that leased a delivery; only the job carrying that token may send
 *   it, so a job that waited past its lease does not send what another claim took over.
 * - a webhook's `consecutive_failures` and `held_until`: when every attempt of a round to a
 *   receiver fails, its deliveries wait (backoff, doubling) and then one probe at a time goes
 *   out until one succeeds, so a receiver that is down costs a probe, not an attempt per event.
 * - the due index per webhook, which the fair claim (a share of every webhook's due deliveries)
 *   reads instead of the global one.
 */
export class WebhookDeliveryLeases1764806400000 implements MigrationInterface {
  name = 'WebhookDeliveryLeases1764806400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN lease_token text`);
    await q.query(`ALTER TABLE webhooks ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0`);
    await q.query(`ALTER TABLE webhooks ADD COLUMN held_until timestamptz`);
    await q.query(`DROP INDEX webhook_deliveries_due_idx`);
    await q.query(`CREATE INDEX webhook_deliveries_webhook_due_idx ON webhook_deliveries (webhook_id, next_attempt_at, id) WHERE status = 'pending'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX webhook_deliveries_webhook_due_idx`);
    await q.query(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`ALTER TABLE webhooks DROP COLUMN held_until`);
    await q.query(`ALTER TABLE webhooks DROP COLUMN consecutive_failures`);
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN lease_token`);
  }
}
