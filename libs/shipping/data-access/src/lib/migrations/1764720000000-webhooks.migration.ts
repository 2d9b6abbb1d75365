import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks: a tenant's subscriptions, one delivery per (webhook, outbox event) made by the relay,
 * and every attempt of a delivery. Deliveries are the queue's source of truth: a delivery is
 * `pending` until an attempt succeeds or its retries run out (`failed`); a worker holds one by
 * a lease, so a worker killed mid-delivery leaves it to be sent again (at least once; the
 * receiver dedupes by `webhook-id`, the delivery's id).
 */
export class Webhooks1764720000000 implements MigrationInterface {
  name = 'Webhooks1764720000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id),
        url text NOT NULL,
        event text NOT NULL CHECK (event IN ('batch_created', 'batch_purchased', 'transaction_created', 'transaction_updated', 'all')),
        is_test boolean NOT NULL DEFAULT false,
        active boolean NOT NULL DEFAULT true,
        secret_ciphertext text NOT NULL,
        disabled_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX webhooks_tenant_idx ON webhooks (tenant_id, created_at, id)`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id text PRIMARY KEY,
        tenant_id text NOT NULL,
        webhook_id text NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        event_id bigint NOT NULL,
        event text NOT NULL,
        object_id text NOT NULL,
        event_payload jsonb NOT NULL DEFAULT '{}',
        test boolean NOT NULL DEFAULT false,
        body text,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_status_code integer,
        last_error text,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        first_attempt_at timestamptz,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (webhook_id, event_id)
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX webhook_deliveries_list_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC)`);
    await q.query(`
      CREATE TABLE webhook_attempts (
        id bigserial PRIMARY KEY,
        delivery_id text NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        outcome text NOT NULL,
        status_code integer,
        error text,
        duration_ms integer NOT NULL
      )`);
    await q.query(`CREATE INDEX webhook_attempts_delivery_idx ON webhook_attempts (delivery_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhooks`);
  }
}
