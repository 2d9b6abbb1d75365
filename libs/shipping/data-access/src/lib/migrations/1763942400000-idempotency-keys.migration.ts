import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `Idempotency-Key` on POST: the first answer to a key, kept for 24 hours, is replayed to
 * the same request and refused (422) to a different one.
 */
export class IdempotencyKeys1763942400000 implements MigrationInterface {
  name = 'IdempotencyKeys1763942400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        tenant_id text NOT NULL REFERENCES tenants(id),
        key text NOT NULL,
        request_hash text NOT NULL,
        state text NOT NULL DEFAULT 'in_progress' CHECK (state IN ('in_progress', 'done')),
        status_code integer,
        response jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE idempotency_keys`);
  }
}
