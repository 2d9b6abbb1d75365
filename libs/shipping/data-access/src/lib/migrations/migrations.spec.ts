import { openDatabase } from '@shipbatch/platform/database';
import { tempDir } from '@shipbatch/platform/testing';
import { SHIPPING_MIGRATIONS } from '.';

describe('SHIPPING_MIGRATIONS (embedded PGlite)', () => {
  it('applies the migrations and keeps data across restarts in DATA_DIR', async () => {
    const dataDir = tempDir('shipbatch-db-');
    const first = await openDatabase({ dataDir }, { entities: [], migrations: SHIPPING_MIGRATIONS });
    await first.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme')`);
    await first.close();

    const second = await openDatabase({ dataDir }, { entities: [], migrations: SHIPPING_MIGRATIONS });
    const rows = await second.dataSource.query(`SELECT name FROM tenants`);
    const migrations = await second.dataSource.query(`SELECT name FROM schema_migrations`);
    await second.close();
    expect(rows).toEqual([{ name: 'acme' }]);
    expect(migrations.map((m: { name: string }) => m.name)).toEqual(SHIPPING_MIGRATIONS.map((m) => new m().name));
    expect(migrations.map((m: { name: string }) => m.name)).toEqual([
      'InitialSchema1732262400000',
      'MergedLabelFiles1763856000000',
      'LabelListing1763870400000',
      'IdempotencyKeys1763942400000',
      'Funding1764547200000',
      'NativeBatches1764633600000',
      'Webhooks1764720000000',
      'WebhookDeliveryLeases1764806400000',
      'ShippoListRoutes1764892800000',
      'ValidationLease1764979200000',
      'WebhookHoldsRemoved1765065600000',
      'NativeBatchPages1765152000000',
      'ShipmentExtra1765238400000',
    ]);
  });
});
