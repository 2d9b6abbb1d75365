import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Native batches: a carrier account's share of a batch bought through its provider's own batch
 * API (Shippo's /batches). The row is written, and the shipments handed to it (purchase_state
 * NATIVE), before anything is sent; the provider batch id is recorded before anything can be
 * bought, and `state` moves only forward by conditional updates, so a crash resumes from the
 * recorded id and state and the provider batch is purchased at most once.
 */
export class NativeBatches1764633600000 implements MigrationInterface {
  name = 'NativeBatches1764633600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE native_batches (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id),
        batch_id text NOT NULL REFERENCES batches(id),
        carrier_account_id text NOT NULL REFERENCES carrier_accounts(id),
        label_file_type text NOT NULL,
        provider_batch_id text,
        state text NOT NULL DEFAULT 'CREATING'
          CHECK (state IN ('CREATING', 'CREATED', 'VALIDATED', 'PURCHASE_REQUESTED', 'PURCHASED', 'COLLECTED', 'FAILED')),
        polls integer NOT NULL DEFAULT 0,
        failures integer NOT NULL DEFAULT 0,
        lease_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX native_batches_batch_idx ON native_batches (batch_id)`);
    await q.query(`CREATE INDEX native_batches_open_idx ON native_batches (updated_at) WHERE state NOT IN ('COLLECTED', 'FAILED')`);
    await q.query(`ALTER TABLE batch_shipments ADD COLUMN native_batch_id text REFERENCES native_batches(id)`);
    await q.query(`CREATE INDEX batch_shipments_native_idx ON batch_shipments (native_batch_id, position) WHERE native_batch_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batch_shipments DROP COLUMN native_batch_id`);
    await q.query(`DROP TABLE native_batches`);
  }
}
