import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { DEFAULT_EMBEDDED_SETTINGS } from '@shipbatch/platform/config';
import { tempDir } from '@shipbatch/platform/testing';
import { EmbeddedPostgres } from './embedded-postgres';

import { openDatabase } from './open-database';


/** Two migrations of a table of this spec's own (TypeORM wants a timestamp at the end of the name): platform/database runs migrations, it owns none. */
class CreateNotes1700000000000 implements MigrationInterface {
  name = 'CreateNotes1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE notes (id text PRIMARY KEY)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE notes`);
  }
}

class AddNoteText1700000000001 implements MigrationInterface {
  name = 'AddNoteText1700000000001';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notes ADD COLUMN text text NOT NULL DEFAULT ''`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notes DROP COLUMN text`);
  }
}

describe('openDatabase (embedded PGlite)', () => {
  it('applies the migrations it is given, each once, and keeps data across restarts in DATA_DIR', async () => {
    const dataDir = tempDir('shipbatch-db-');
    const first = await openDatabase({ dataDir }, { entities: [], migrations: [CreateNotes1700000000000] });
    await first.dataSource.query(`INSERT INTO notes (id) VALUES ('n1')`);
    await first.close();

    const second = await openDatabase({ dataDir }, { entities: [], migrations: [CreateNotes1700000000000, AddNoteText1700000000001] });
    const rows = await second.dataSource.query(`SELECT id, text FROM notes`);
    const migrations = await second.dataSource.query(`SELECT name FROM schema_migrations ORDER BY id`);
    await second.close();
    expect(rows).toEqual([{ id: 'n1', text: '' }]);
    expect(migrations.map((m: { name: string }) => m.name)).toEqual(['CreateNotes1700000000000', 'AddNoteText1700000000001']);

    // Nothing to apply (or none given): the schema is used as it is.
    const third = await openDatabase({ dataDir }, { entities: [], migrations: [] });
    expect(await third.dataSource.query(`SELECT count(*)::int AS n FROM schema_migrations`)).toEqual([{ n: 2 }]);
    await third.close();
  });

  it('creates a new data directory and runs with the configured embedded settings', async () => {
    const dataDir = tempDir('shipbatch-db-');
    const handle = await openDatabase({ dataDir, embedded: { sharedBuffers: '48MB', heapGrowingPercent: 50 } }, { entities: [], migrations: [] });
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
