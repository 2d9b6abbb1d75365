import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Shippo's list routes page newest first (`ORDER BY created_at DESC, id DESC`): one index per
 * listed table, so a page reads its rows from the index instead of sorting the tenant's table.
 * Addresses and parcels had (tenant_id, created_at); the id makes the order total, since a
 * batch's inline objects share one created_at.
 */
export class ShippoListRoutes1764892800000 implements MigrationInterface {
  name = 'ShippoListRoutes1764892800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX shipments_tenant_created_idx ON shipments (tenant_id, created_at, id)`);
    await q.query(`DROP INDEX addresses_tenant_idx`);
    await q.query(`CREATE INDEX addresses_tenant_created_idx ON addresses (tenant_id, created_at, id)`);
    await q.query(`DROP INDEX parcels_tenant_idx`);
    await q.query(`CREATE INDEX parcels_tenant_created_idx ON parcels (tenant_id, created_at, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX parcels_tenant_created_idx`);
    await q.query(`CREATE INDEX parcels_tenant_idx ON parcels (tenant_id, created_at)`);
    await q.query(`DROP INDEX addresses_tenant_created_idx`);
    await q.query(`CREATE INDEX addresses_tenant_idx ON addresses (tenant_id, created_at)`);
    await q.query(`DROP INDEX shipments_tenant_created_idx`);
  }
}
