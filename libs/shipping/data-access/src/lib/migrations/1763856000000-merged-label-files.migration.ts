import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merged label files (100 labels a file, in batch order):
 * - `batch_shipments.file_chunk`: which merged file a shipment's label goes into,
 *   floor(rank / 100) by batch order, fixed when the batch's purchase starts;
 * - `batch_label_files`: one row per merged chunk, naming the file (null when every
 *   shipment of the chunk failed) and the fingerprint of the labels it holds;
 * - `batches.label_file_keys` replaces `batches.label_urls`: the storage keys of the
 *   batch's merged files, in chunk order, set with PURCHASED. URLs are signed at read time,
 *   so nothing that expires is stored.
 */
export class MergedLabelFiles1763856000000 implements MigrationInterface {
  name = 'MergedLabelFiles1763856000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batch_shipments ADD COLUMN file_chunk integer`);
    // Shipments already queued or bought keep their batch order.
    await q.query(`
      UPDATE batch_shipments s SET file_chunk = (r.rank - 1) / 100
      FROM (SELECT id, row_number() OVER (PARTITION BY batch_id ORDER BY position) AS rank
            FROM batch_shipments WHERE purchase_state <> 'NONE') r
      WHERE s.id = r.id`);
    await q.query(
      `CREATE INDEX batch_shipments_chunk_idx ON batch_shipments (batch_id, file_chunk, position)
       WHERE file_chunk IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE batch_label_files (
        batch_id text NOT NULL REFERENCES batches(id) ON DELETE CASCADE,
        chunk integer NOT NULL,
        fingerprint text NOT NULL,
        file_key text,
        label_count integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (batch_id, chunk)
      )`);
    await q.query(`ALTER TABLE batches ADD COLUMN label_file_keys jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`ALTER TABLE batches DROP COLUMN label_urls`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE batches ADD COLUMN label_urls jsonb NOT NULL DEFAULT '[]'`);
    await q.query(`ALTER TABLE batches DROP COLUMN label_file_keys`);
    await q.query(`DROP TABLE IF EXISTS batch_label_files`);
    await q.query(`DROP INDEX IF EXISTS batch_shipments_chunk_idx`);
    await q.query(`ALTER TABLE batch_shipments DROP COLUMN file_chunk`);
  }
}
