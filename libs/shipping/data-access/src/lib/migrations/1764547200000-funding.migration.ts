import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Funding of prepaid provider balances: each carrier account's policy (off by default), a
 * lease-style lock so that one top-up at a time runs per account across every worker and
 * process (taken and released by single statements, so no connection is held meanwhile), and
 * the funding_events log (every top-up, succeeded or failed). An event is written in the same
 * statement that releases the lock.
 */
export class Funding1764547200000 implements MigrationInterface {
  name = 'Funding1764547200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE carrier_accounts
        ADD COLUMN funding_enabled boolean NOT NULL DEFAULT false,
        ADD COLUMN funding_min_balance_minor bigint NOT NULL DEFAULT 0 CHECK (funding_min_balance_minor >= 0),
        ADD COLUMN funding_top_up_amount_minor bigint NOT NULL DEFAULT 0 CHECK (funding_top_up_amount_minor >= 0),
        ADD COLUMN funding_daily_cap_minor bigint NOT NULL DEFAULT 0 CHECK (funding_daily_cap_minor >= 0),
        ADD COLUMN funding_lock_until timestamptz`);
    await q.query(`
      CREATE TABLE funding_events (
        id text PRIMARY KEY,
        tenant_id text NOT NULL REFERENCES tenants(id),
        carrier_account_id text NOT NULL REFERENCES carrier_accounts(id),
        amount_minor bigint NOT NULL,
        currency text NOT NULL,
        balance_before_minor bigint,
        balance_after_minor bigint,
        reason text NOT NULL CHECK (reason IN ('pre_purchase', 'insufficient_funds', 'manual')),
        status text NOT NULL CHECK (status IN ('succeeded', 'failed')),
        message text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX funding_events_account_idx ON funding_events (carrier_account_id, created_at DESC, id DESC)`);
    // Funding estimates a batch's cost from the last price paid per account and service.
    await q.query(`CREATE INDEX labels_account_service_idx ON labels (carrier_account_id, service_code, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS labels_account_service_idx`);
    await q.query(`DROP TABLE IF EXISTS funding_events`);
    await q.query(`
      ALTER TABLE carrier_accounts
        DROP COLUMN IF EXISTS funding_enabled,
        DROP COLUMN IF EXISTS funding_min_balance_minor,
        DROP COLUMN IF EXISTS funding_top_up_amount_minor,
        DROP COLUMN IF EXISTS funding_daily_cap_minor,
        DROP COLUMN IF EXISTS funding_lock_until`);
  }
}
