import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { DEFAULT_EMBEDDED_SETTINGS } from '@shipbatch/platform/config';
import { tempDir } from '@shipbatch/platform/testing';
import { EmbeddedPostgres } from './embedded-postgres';
import { openDatabase } from './open-database';
import { MIGRATIONS } from './migrations';

describe('openDatabase (embedded PGlite)', () => {
  it('applies the migrations and keeps data across restarts in DATA_DIR', async () => {
    const dataDir = tempDir('shipbatch-db-');
    const first = await openDatabase({ dataDir }, []);
    await first.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme')`);
    await first.close();

    const second = await openDatabase({ dataDir }, []);
    const rows = await second.dataSource.query(`SELECT name FROM tenants`);
    const migrations = await second.dataSource.query(`SELECT name FROM schema_migrations`);
    await second.close();
    expect(rows).toEqual([{ name: 'acme' }]);
    expect(migrations.map((m: { name: string }) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
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
    ]);
  });

  it('creates a new data directory and runs with the configured embedded settings', async () => {
    const dataDir = tempDir('shipbatch-db-');
    const handle = await openDatabase({ dataDir, embedded: { sharedBuffers: '48MB', heapGrowingPercent: 50 } }, []);
    const settings = await handle.dataSource.query(
      `SELECT name, current_setting(name) AS value FROM pg_settings WHERE name = ANY($1) ORDER BY name`,
      [['max_connections', 'shared_buffers']],
    );
    await handle.close();
    expect(settings).toEqual([
      { name: 'max_connections', value: '4' },
      { name: 'shared_buffers', value: '48MB' },
    ]);
    // The staging directory got its final name.
    expect(readdirSync(dataDir)).toEqual(['pglite']);
  });
});

describe('EmbeddedPostgres new data directories', () => {
  async function query(db: EmbeddedPostgres, sql: string) {
    const client = new Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await client.query(sql)).rows;
    } finally {
      await client.end();
    }
  }

  it('makes the template once and starts each new data directory as a copy of its own', async () => {
    const root = tempDir('shipbatch-db-');
    const templateDir = join(root, 'template');
    const a = await EmbeddedPostgres.start(join(root, 'a'), DEFAULT_EMBEDDED_SETTINGS, templateDir);
    await query(a, `CREATE TABLE only_in_a (id int)`);
    await a.stop();
    const b = await EmbeddedPostgres.start(join(root, 'b'), DEFAULT_EMBEDDED_SETTINGS, templateDir);
    const [found] = await query(b, `SELECT to_regclass('only_in_a') AS t, current_setting('shared_buffers') AS sb`);
    await b.stop();
    expect(found).toEqual({ t: null, sb: DEFAULT_EMBEDDED_SETTINGS.sharedBuffers });
    expect(readdirSync(root).sort()).toEqual(['a', 'b', 'template']);
    expect(readdirSync(join(root, 'a'))).toEqual(['pglite']);
    expect(readdirSync(templateDir)).toContain('PG_VERSION');
  });

  it('runs initdb for the data directory itself where no template can be written', async () => {
    const root = tempDir('shipbatch-db-');
    writeFileSync(join(root, 'read-only'), '');
    const db = await EmbeddedPostgres.start(join(root, 'data'), DEFAULT_EMBEDDED_SETTINGS, join(root, 'read-only', 'template'));
    const [row] = await query(db, `SELECT current_setting('max_connections') AS max`);
    await db.stop();
    expect(row).toEqual({ max: '4' });
    expect(readdirSync(join(root, 'data'))).toEqual(['pglite']);
  });
});
