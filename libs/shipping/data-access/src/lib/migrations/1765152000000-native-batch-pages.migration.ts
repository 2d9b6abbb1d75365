import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Native batches for every provider's batch API, collected by several workers at once:
 * - `batch_shipments.native_shipment_id`: the provider's id of a shipment made before its batch
 *   (recorded as each chunk is made, so a repeated chunk is not made again);
 * - `native_batches.create_sent_at`: a create was sent (its answer may be lost): the next try
 *   first looks the provider batch up by our reference;
 * - `native_batches.purchase_requested_at` / `purchase_answered_at`: when the purchase was
 *   recorded as asked for, and when the provider acknowledged it (null: its outcome is unknown);
 * - `native_batch_pages`: one row per page of each list read after the purchase (`labels`,
 *   `errors`), each taken by one worker at a time under its own lease, `done_at` once read.
 */
export class NativeBatchPages1765152000000 implements MigrationInterface {
  name = 'NativeBatchPages1765152000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batch_shipments ADD COLUMN native_shipment_id text`);
    await q.query(`ALTER TABLE native_batches ADD COLUMN create_sent_at timestamptz`);
    await q.query(`ALTER TABLE native_batches ADD COLUMN purchase_requested_at timestamptz`);
    await q.query(`ALTER TABLE native_batches ADD COLUMN purchase_answered_at timestamptz`);
    await q.query(`
      CREATE TABLE native_batch_pages (
        native_batch_id text NOT NULL REFERENCES native_batches(id),
        list text NOT NULL CHECK (list IN ('labels', 'errors')),
        page integer NOT NULL CHECK (page >= 1),
        failures integer NOT NULL DEFAULT 0,
        lease_until timestamptz,
        done_at timestamptz,
        PRIMARY KEY (native_batch_id, list, page)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE native_batch_pages`);
    await q.query(`ALTER TABLE native_batches DROP COLUMN purchase_answered_at`);
    await q.query(`ALTER TABLE native_batches DROP COLUMN purchase_requested_at`);
    await q.query(`ALTER TABLE native_batches DROP COLUMN create_sent_at`);
    await q.query(`ALTER TABLE batch_shipments DROP COLUMN native_shipment_id`);
  }
}
