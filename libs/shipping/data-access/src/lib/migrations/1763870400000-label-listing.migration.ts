import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The day (UTC) of a timestamp column of a labels row, as the rollup keys it. */
const day = (row: string, column: string) => `((${row}.${column} AT TIME ZONE 'UTC')::date)`;

/**
 * GET /v2/labels stays fast for a tenant with millions of labels:
 * - one index per filter that can match many labels, each ending in the sort order
 *   (created_at, id), plus (tenant_id, updated_at, id) for sort_by=modified_at and a lookup
 *   index for external_shipment_id;
 * - two rollups kept exact by one trigger, in the same transaction as every insert, update
 *   and delete of a label: `label_day_counts` (per tenant, created day, modified day and
 *   status: a few hundred rows a year) and `label_counts` (the same plus carrier account,
 *   service and warehouse, for those filters; `warehouse_id` is '' when a label has none).
 *   `total` is summed from them instead of counting the labels, and their day buckets let a
 *   deep page start next to its first row instead of skipping hundreds of thousands of index
 *   entries.
 */
export class LabelListing1763870400000 implements MigrationInterface {
  name = 'LabelListing1763870400000';

  async up(q: QueryRunner): Promise<void> {
    // Timestamps in milliseconds, as the API prints them: a created_at copied from a label
    // into created_at_end then includes that label.
    await q.query(`ALTER TABLE labels ALTER COLUMN created_at SET DEFAULT date_trunc('milliseconds', now())`);
    await q.query(`ALTER TABLE labels ALTER COLUMN updated_at SET DEFAULT date_trunc('milliseconds', now())`);
    await q.query(`CREATE INDEX labels_tenant_updated_idx ON labels (tenant_id, updated_at, id)`);
    await q.query(`CREATE INDEX labels_tenant_status_idx ON labels (tenant_id, status, created_at, id)`);
    await q.query(`CREATE INDEX labels_tenant_carrier_idx ON labels (tenant_id, carrier_account_id, created_at, id)`);
    await q.query(`CREATE INDEX labels_tenant_service_idx ON labels (tenant_id, service_code, created_at, id)`);
    await q.query(`CREATE INDEX labels_tenant_warehouse_idx ON labels (tenant_id, warehouse_id, created_at, id)`);
    await q.query(
      `CREATE INDEX labels_tenant_external_idx ON labels (tenant_id, external_shipment_id, created_at)
       WHERE external_shipment_id IS NOT NULL`,
    );
    await q.query(`
      CREATE TABLE label_counts (
        tenant_id text NOT NULL,
        created_day date NOT NULL,
        modified_day date NOT NULL,
        status text NOT NULL,
        carrier_account_id text NOT NULL,
        service_code text NOT NULL,
        warehouse_id text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (tenant_id, created_day, modified_day, status, carrier_account_id, service_code, warehouse_id)
      )`);
    await q.query(`
      CREATE TABLE label_day_counts (
        tenant_id text NOT NULL,
        created_day date NOT NULL,
        modified_day date NOT NULL,
        status text NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (tenant_id, created_day, modified_day, status)
      )`);
    const dayKey = (row: string) => `${row}.tenant_id, ${day(row, 'created_at')}, ${day(row, 'updated_at')}, ${row}.status`;
    const dayMatch = (row: string) =>
      `tenant_id = ${row}.tenant_id AND created_day = ${day(row, 'created_at')} AND modified_day = ${day(row, 'updated_at')}
       AND status = ${row}.status`;
    const key = (row: string) =>
      `${row}.tenant_id, ${day(row, 'created_at')}, ${day(row, 'updated_at')}, ${row}.status, ` +
      `${row}.carrier_account_id, ${row}.service_code, coalesce(${row}.warehouse_id, '')`;
    const match = (row: string) =>
      `tenant_id = ${row}.tenant_id AND created_day = ${day(row, 'created_at')} AND modified_day = ${day(row, 'updated_at')}
       AND status = ${row}.status AND carrier_account_id = ${row}.carrier_account_id
       AND service_code = ${row}.service_code AND warehouse_id = coalesce(${row}.warehouse_id, '')`;
    await q.query(`
      CREATE FUNCTION labels_count_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'UPDATE' AND ROW(${key('OLD')}) IS NOT DISTINCT FROM ROW(${key('NEW')}) THEN
          RETURN NULL;
        END IF;
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          UPDATE label_counts SET n = n - 1 WHERE ${match('OLD')};
          UPDATE label_day_counts SET n = n - 1 WHERE ${dayMatch('OLD')};
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO label_counts (tenant_id, created_day, modified_day, status, carrier_account_id, service_code,
            warehouse_id, n)
          VALUES (${key('NEW')}, 1)
          ON CONFLICT (tenant_id, created_day, modified_day, status, carrier_account_id, service_code, warehouse_id)
          DO UPDATE SET n = label_counts.n + 1;
          INSERT INTO label_day_counts (tenant_id, created_day, modified_day, status, n)
          VALUES (${dayKey('NEW')}, 1)
          ON CONFLICT (tenant_id, created_day, modified_day, status) DO UPDATE SET n = label_day_counts.n + 1;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(
      `CREATE TRIGGER labels_count_rollup AFTER INSERT OR UPDATE OR DELETE ON labels
       FOR EACH ROW EXECUTE FUNCTION labels_count_rollup()`,
    );
    await q.query(`
      INSERT INTO label_counts (tenant_id, created_day, modified_day, status, carrier_account_id, service_code, warehouse_id, n)
      SELECT ${key('l')}, count(*) FROM labels l GROUP BY 1, 2, 3, 4, 5, 6, 7`);
    await q.query(`
      INSERT INTO label_day_counts (tenant_id, created_day, modified_day, status, n)
      SELECT tenant_id, created_day, modified_day, status, sum(n) FROM label_counts GROUP BY 1, 2, 3, 4`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE labels ALTER COLUMN created_at SET DEFAULT now()`);
    await q.query(`ALTER TABLE labels ALTER COLUMN updated_at SET DEFAULT now()`);
    await q.query(`DROP TRIGGER IF EXISTS labels_count_rollup ON labels`);
    await q.query(`DROP FUNCTION IF EXISTS labels_count_rollup()`);
    await q.query(`DROP TABLE IF EXISTS label_counts`);
    await q.query(`DROP TABLE IF EXISTS label_day_counts`);
    for (const index of ['updated', 'status', 'carrier', 'service', 'warehouse', 'external']) {
      await q.query(`DROP INDEX IF EXISTS labels_tenant_${index}_idx`);
    }
  }
}
