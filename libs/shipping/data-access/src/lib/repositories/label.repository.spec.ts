import { openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { createTestDatabase, tempDir, type TestDatabase } from '@shipbatch/platform/testing';
import type { LabelFilter, LabelListQuery, LabelSortBy, LabelSortDir } from '@shipbatch/shipping/domain';
import { TypeormLabelRepository } from './label.repository';
import { SHIPPING_MIGRATIONS } from '../migrations';

const N = 6_000;
const T0 = Date.UTC(2026, 0, 1);

interface Row {
  id: string;
  created_at: Date;
  updated_at: Date;
  status: string;
  carrier_account_id: string;
  service_code: string;
  batch_id: string;
  warehouse_id: string | null;
  tracking_number: string;
}

/** The seed's rule, the slow way: filter, order by (column, id), take the part sort_dir selects, list oldest first. */
function expected(rows: Row[], q: LabelListQuery): { ids: string[]; total: number } {
  const f = q.filter;
  const col = q.sortBy === 'modified_at' ? 'updated_at' : 'created_at';
  const matching = rows.filter(
    (r) =>
      (f.status === undefined || r.status === f.status) &&
      (f.carrierAccountId === undefined || r.carrier_account_id === f.carrierAccountId) &&
      (f.serviceCode === undefined || r.service_code === f.serviceCode) &&
      (f.batchId === undefined || r.batch_id === f.batchId) &&
      (f.warehouseId === undefined || r.warehouse_id === f.warehouseId) &&
      (f.trackingNumber === undefined || r.tracking_number === f.trackingNumber) &&
      (!f.createdAtStart || r.created_at >= f.createdAtStart) &&
      (!f.createdAtEnd || r.created_at <= f.createdAtEnd),
  );
  const asc = [...matching].sort((a, b) => a[col].getTime() - b[col].getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const ordered = q.sortDir === 'asc' ? asc : [...asc].reverse();
  const page = ordered.slice((q.page - 1) * q.pageSize, q.page * q.pageSize);
  const set = new Set(page.map((r) => r.id));
  return { ids: asc.filter((r) => set.has(r.id)).map((r) => r.id), total: matching.length };
}

describe.each([
  ['PostgreSQL', true],
  ['embedded PGlite', false],
])('label repository on %s', (_name, onPostgres) => {
  let testDb: TestDatabase | undefined;
  let db: DatabaseHandle;
  let repo: TypeormLabelRepository;
  let rows: Row[];

  const load = async () => {
    const raw: Row[] = await db.dataSource.query(
      `SELECT id, created_at, updated_at, status, carrier_account_id, service_code, batch_id, warehouse_id, tracking_number
       FROM labels WHERE tenant_id = 't1'`,
    );
    rows = raw.map((r) => ({ ...r, created_at: new Date(r.created_at), updated_at: new Date(r.updated_at) }));
  };

  const rollupMatchesLabels = async () => {
    const [diff] = await db.dataSource.query(`
      SELECT count(*) AS n FROM (
        (SELECT tenant_id, created_day, modified_day, status, carrier_account_id, service_code, warehouse_id, n
         FROM label_counts WHERE n <> 0
         EXCEPT
         SELECT tenant_id, (created_at AT TIME ZONE 'UTC')::date, (updated_at AT TIME ZONE 'UTC')::date, status,
           carrier_account_id, service_code, coalesce(warehouse_id, ''), count(*)
         FROM labels GROUP BY 1, 2, 3, 4, 5, 6, 7)
        UNION ALL
        (SELECT tenant_id, (created_at AT TIME ZONE 'UTC')::date, (updated_at AT TIME ZONE 'UTC')::date, status,
           carrier_account_id, service_code, coalesce(warehouse_id, ''), count(*)
         FROM labels GROUP BY 1, 2, 3, 4, 5, 6, 7
         EXCEPT
         SELECT tenant_id, created_day, modified_day, status, carrier_account_id, service_code, warehouse_id, n
         FROM label_counts WHERE n <> 0)
      ) d`);
    const [dayDiff] = await db.dataSource.query(`
      SELECT count(*) AS n FROM (
        (SELECT tenant_id, created_day, modified_day, status, n FROM label_day_counts WHERE n <> 0
         EXCEPT
         SELECT tenant_id, created_day, modified_day, status, sum(n) FROM label_counts GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0)
        UNION ALL
        (SELECT tenant_id, created_day, modified_day, status, sum(n) FROM label_counts GROUP BY 1, 2, 3, 4 HAVING sum(n) <> 0
         EXCEPT
         SELECT tenant_id, created_day, modified_day, status, n FROM label_day_counts WHERE n <> 0)
      ) d`);
    return Number(diff.n) === 0 && Number(dayDiff.n) === 0;
  };

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_labels') : undefined;
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir: tempDir('shipbatch-labels-') }, { entities: [], migrations: SHIPPING_MIGRATIONS });
    await db.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme'), ('t2', 'other')`);
    // Inserted row by row through the trigger (set-based INSERT ... SELECT still fires it per row).
    // Three labels share each created_at (ties broken by id); every 7th label was modified days later.
    await db.dataSource.query(
      `INSERT INTO labels (id, tenant_id, batch_id, batch_shipment_id, carrier_account_id, provider, provider_label_id,
         reference, status, tracking_number, carrier, service_code, cost_minor, currency, label_file_type, file_key,
         warehouse_id, external_shipment_id, created_at, updated_at)
       SELECT md5('l' || g), CASE WHEN g % 10 = 0 THEN 't2' ELSE 't1' END, 'batch' || (g / 1000), md5('bs' || g),
         'acct' || (g % 3), 'mock', 'p' || g, md5('bs' || g),
         CASE WHEN g % 7 = 0 THEN 'voided' ELSE 'completed' END, 'trk' || g, 'usps',
         (ARRAY['usps_priority', 'usps_ground_advantage'])[g % 2 + 1], 758, 'usd', 'PDF_4x6', 'labels/x/' || g || '.pdf',
         CASE WHEN g % 5 = 0 THEN NULL ELSE 'wh' || (g % 4) END, 'ext' || g,
         $1::timestamptz + (g / 3) * interval '1 millisecond' * 1234567,
         $1::timestamptz + (g / 3) * interval '1 millisecond' * 1234567 + CASE WHEN g % 7 = 0 THEN (g % 5) * interval '1 day' ELSE interval '0' END
       FROM generate_series(1, $2::int) g`,
      [new Date(T0).toISOString(), N],
    );
    repo = new TypeormLabelRepository(db.dataSource);
    await load();
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  const q = (filter: LabelFilter, page: number, pageSize: number, sortDir: LabelSortDir = 'desc', sortBy: LabelSortBy = 'created_at'): LabelListQuery => ({
    filter,
    page,
    pageSize,
    sortDir,
    sortBy,
  });

  const check = async (query: LabelListQuery) => {
    const got = await repo.list('t1', query);
    const want = expected(rows, query);
    expect({ query, total: got.total, ids: got.labels.map((l) => l.id) }).toEqual({ query, total: want.total, ids: want.ids });
    for (const l of got.labels) expect(l.tenantId).toBe('t1');
  };

  it('keeps both rollups equal to a GROUP BY of the labels', async () => {
    expect(await rollupMatchesLabels()).toBe(true);
  });

  it('lists every page in both directions and both sort columns as the seed says, deep pages included', async () => {
    const total = rows.length;
    for (const sortBy of ['created_at', 'modified_at'] as const) {
      for (const sortDir of ['asc', 'desc'] as const) {
        const pages = Math.ceil(total / 100);
        for (const page of [1, 2, Math.ceil(pages / 2), pages - 1, pages, pages + 1, 1000]) {
          await check(q({}, page, 100, sortDir, sortBy));
        }
        await check(q({}, 1, 500, sortDir, sortBy));
        await check(q({}, 3, 7, sortDir, sortBy));
        await check(q({}, 400, 7, sortDir, sortBy));
      }
    }
  });

  it('applies each filter alone and together, with created_at ranges cut inside a day', async () => {
    const mid = (d: number, h: number) => new Date(T0 + d * 86_400_000 + h * 3_600_000 + 123);
    const filters: LabelFilter[] = [
      { status: 'completed' },
      { status: 'voided' },
      { status: 'processing' },
      { carrierAccountId: 'acct1' },
      { serviceCode: 'usps_ground_advantage' },
      { warehouseId: 'wh2' },
      { batchId: 'batch3' },
      { trackingNumber: 'trk4242' },
      { createdAtStart: mid(10, 5) },
      { createdAtEnd: mid(20, 17) },
      { createdAtStart: mid(10, 5), createdAtEnd: mid(40, 17) },
      { createdAtStart: mid(12, 1), createdAtEnd: mid(12, 20) },
      { createdAtStart: rows[10].created_at, createdAtEnd: rows[10].created_at },
      { status: 'completed', carrierAccountId: 'acct2', createdAtStart: mid(3, 3), createdAtEnd: mid(50, 1) },
      { status: 'voided', warehouseId: 'wh1', serviceCode: 'usps_priority' },
      { batchId: 'batch2', status: 'completed', createdAtStart: mid(25, 0) },
    ];
    for (const filter of filters) {
      for (const sortDir of ['asc', 'desc'] as const) {
        await check(q(filter, 1, 25, sortDir));
        await check(q(filter, 4, 25, sortDir, 'modified_at'));
        await check(q(filter, 20, 100, sortDir));
        await check(q(filter, 90, 25, sortDir)); // deep: day buckets, then the nearer end
        await check(q(filter, 30, 100, sortDir, 'modified_at'));
      }
    }
  });

  it('finds many by id at once, the tenant\'s only, unknown ids left out', async () => {
    const mine = rows.slice(0, 3); // all of t1
    const found = await repo.findManyByIds('t1', [...mine.map((r) => r.id), 'lbl_unknown']);
    expect(found.map((l) => l.id).sort()).toEqual(mine.map((r) => r.id).sort());
    for (const l of found) expect(l).toEqual(await repo.findById('t1', l.id));
    expect(await repo.findManyByIds('t1', [])).toEqual([]);
  });

  it('never shows another tenant', async () => {
    const all = await repo.list('t2', q({}, 1, 500));
    expect(all.total).toBe(N / 10);
    expect(all.labels.every((l) => l.tenantId === 't2')).toBe(true);
    expect(await repo.findById('t2', rows[0].id)).toBeNull();
    expect(await repo.findManyByIds('t2', [rows[0].id])).toEqual([]);
    expect(await repo.findByExternalShipmentId('t2', 'ext1')).toBeNull();
    expect((await repo.findByExternalShipmentId('t1', 'ext1'))?.id).toBeDefined();
  });

  it('voids once, moves the label in the rollup and records the event', async () => {
    const target = rows.find((r) => r.status === 'completed');
    if (!target) throw new Error('no completed label');
    const voided = await repo.markVoided('t1', target.id);
    expect(voided).toMatchObject({ id: target.id, status: 'voided' });
    expect(voided?.voidedAt).toBeInstanceOf(Date);
    expect(await repo.markVoided('t1', target.id)).toBeNull();
    expect(await repo.markVoided('t2', target.id)).toBeNull();
    const events = await db.dataSource.query(`SELECT type FROM outbox_events WHERE object_id = $1`, [target.id]);
    expect(events).toEqual([{ type: 'transaction_updated' }]);
    expect(await rollupMatchesLabels()).toBe(true);
    await load();
    await check(q({ status: 'voided' }, 1, 25, 'desc', 'modified_at'));
    const newest = await repo.list('t1', q({}, 1, 1, 'desc', 'modified_at'));
    expect(newest.labels[0].id).toBe(target.id);
  });
});
