import { randomBytes } from 'node:crypto';
import { SecretBox } from '@shipbatch/platform/config';
import { openDatabase, type DatabaseHandle } from '@shipbatch/platform/database';
import { createTestDatabase, tempDir, type TestDatabase } from '@shipbatch/platform/testing';
import { IllegalTransitionError } from '@shipbatch/shipping/domain';
import { SHIPPING_ENTITIES } from '../entities';
import { TypeormCarrierAccountRepository } from './carrier-account.repository';
import { TypeormNativeBatchRepository } from './native-batch.repository';
import { SHIPPING_MIGRATIONS } from '../migrations';

describe.each([
  ['PostgreSQL', true],
  ['embedded PGlite', false],
])('native batch repository on %s', (_name, onPostgres) => {
  let testDb: TestDatabase | undefined;
  let db: DatabaseHandle;
  let natives: TypeormNativeBatchRepository;

  const state = async (id: string) =>
    (await db.dataSource.query(`SELECT purchase_state, native_batch_id, status FROM batch_shipments WHERE id = $1`, [id]))[0];

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_native') : undefined;
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir: tempDir('shipbatch-native-') }, { entities: SHIPPING_ENTITIES, migrations: SHIPPING_MIGRATIONS });
    await db.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme')`);
    const accounts = new TypeormCarrierAccountRepository(db.dataSource, new SecretBox(randomBytes(32)));
    for (const id of ['ca1', 'ca2']) {
      await accounts.insert({
        id, tenantId: 't1', provider: 'mock', carrier: 'usps', accountId: id, parameters: {}, active: true, test: false, metadata: '',
        funding: { enabled: false, minBalanceMinor: 0, topUpAmountMinor: 0, dailyCapMinor: 0 }, createdAt: new Date(), updatedAt: new Date(),
      });
    }
    await db.dataSource.query(
      `INSERT INTO batches (id, tenant_id, status, default_carrier_account, default_servicelevel_token, label_filetype)
       VALUES ('b1', 't1', 'PURCHASING', 'ca1', 'usps_priority', 'PDF_4x6')`,
    );
    // s1..s3 on ca1, s4 on ca2, s5 on ca1 but already attempted once (a retry).
    const rows = [['s1', 'ca1', 0], ['s2', 'ca1', 0], ['s3', 'ca1', 0], ['s4', 'ca2', 0], ['s5', 'ca1', 1]] as const;
    for (const [i, [id, account, attempts]] of rows.entries()) {
      await db.dataSource.query(
        `INSERT INTO batch_shipments (id, tenant_id, batch_id, position, status, purchase_state, input, effective_carrier_account, attempts, purchase_command)
         VALUES ($1, 't1', 'b1', $2, 'VALID', 'QUEUED', '{}', $3, $4, '{"carrierAccountId": "x", "command": {}}')`,
        [id, i, account, attempts],
      );
    }
    natives = new TypeormNativeBatchRepository(db.dataSource);
  });
  afterAll(async () => {
    await db.close();
    await testDb?.drop();
  });

  it('counts never-attempted queued shares per account and hands one account\'s share over in one step', async () => {
    expect((await natives.queuedShares('b1')).sort((a, b) => a.carrierAccountId.localeCompare(b.carrierAccountId))).toEqual([
      { carrierAccountId: 'ca1', count: 3 },
      { carrierAccountId: 'ca2', count: 1 },
    ]);
    expect(await natives.candidates('b1', 'ca1')).toEqual(['s1', 's2', 's3'].map((id) => ({ id, purchase: { carrierAccountId: 'x', command: {} } })));
    // Only the shipments named, of that account, still queued and never attempted.
    const ids = ['s1', 's2', 's3', 's4', 's5'];
    const handed = await natives.handOver({ tenantId: 't1', batchId: 'b1', carrierAccountId: 'ca1', labelFileType: 'PDF_4x6', shipmentIds: ids });
    expect(handed?.shipmentIds.sort()).toEqual(['s1', 's2', 's3']);
    expect(await state('s1')).toMatchObject({ purchase_state: 'NATIVE', native_batch_id: handed?.id });
    expect(await state('s4')).toMatchObject({ purchase_state: 'QUEUED', native_batch_id: null });
    expect(await state('s5')).toMatchObject({ purchase_state: 'QUEUED' });
    expect((await natives.shipments(handed?.id ?? '')).map((c) => c.id)).toEqual(['s1', 's2', 's3']);
    // Nothing left to hand over: no second native batch for the same shipments.
    expect(await natives.handOver({ tenantId: 't1', batchId: 'b1', carrierAccountId: 'ca1', labelFileType: 'PDF_4x6', shipmentIds: ids })).toBeNull();
    expect(await natives.candidates('b1', 'ca1')).toEqual([]);
  });

  it('moves only from the state read, records the provider batch id once, and leases one worker at a time', async () => {
    const nb = (await natives.handOver({ tenantId: 't1', batchId: 'b1', carrierAccountId: 'ca2', labelFileType: 'PDF_4x6', shipmentIds: ['s4'] })) ?? { id: 'missing' };
    const first = await natives.lease(nb.id, 60_000);
    expect(first).toMatchObject({ state: 'CREATING', providerBatchId: null, carrierAccountId: 'ca2', createSentAt: null });
    expect(await natives.lease(nb.id, 60_000)).toBeNull();
    await natives.release(nb.id);
    await natives.recordCreateSent(nb.id);
    expect((await natives.find(nb.id))?.createSentAt).toBeInstanceOf(Date);
    expect(await natives.recordCreated(nb.id, 'pb-1')).toBe(true);
    expect(await natives.recordCreated(nb.id, 'pb-2')).toBe(false);
    expect(await natives.move(nb.id, 'CREATED', 'VALIDATED')).toBe(true);
    const racing = await Promise.all([natives.requestPurchase(nb.id), natives.requestPurchase(nb.id)]);
    expect(racing.filter(Boolean)).toHaveLength(1);
    expect(await natives.find(nb.id)).toMatchObject({ state: 'PURCHASE_REQUESTED', purchaseRequestedAt: expect.any(Date), purchaseAnsweredAt: null });
    await natives.recordPurchaseAnswered(nb.id);
    expect(await natives.lease(nb.id, 60_000)).toMatchObject({ state: 'PURCHASE_REQUESTED', providerBatchId: 'pb-1', purchaseAnsweredAt: expect.any(Date) });
    await natives.release(nb.id);
  });

  it('refuses, before any SQL, a move the native batch machine does not name', async () => {
    const query = jest.spyOn(db.dataSource, 'query');
    try {
      for (const [from, to] of [['PURCHASE_REQUESTED', 'COLLECTED'], ['COLLECTED', 'FAILED'], ['FAILED', 'FAILED'], ['CREATED', 'PURCHASED']] as const) {
        await expect(natives.move('any', from, to)).rejects.toThrow(IllegalTransitionError);
      }
      expect(query).not.toHaveBeenCalled();
    } finally {
      query.mockRestore();
    }
  });

  it('gives shipments back to single purchases and fails others with their messages', async () => {
    const [row] = await db.dataSource.query(`SELECT native_batch_id FROM batch_shipments WHERE id = 's1'`);
    const id = row.native_batch_id as string;
    expect(await natives.giveBack(id, ['s1', 's4'], true)).toEqual([{ id: 's1', queueToken: 1 }]);
    expect(await state('s1')).toMatchObject({ purchase_state: 'QUEUED' });
    await natives.fail(id, [{ shipmentId: 's2', messages: [{ source: 'shippo', code: 'address_invalid', text: 'bad' }] }]);
    const [failed] = await db.dataSource.query(`SELECT purchase_state, status, messages FROM batch_shipments WHERE id = 's2'`);
    expect(failed).toMatchObject({ purchase_state: 'FAILED', status: 'TRANSACTION_FAILED', messages: [{ code: 'address_invalid' }] });
    expect((await natives.shipments(id)).map((c) => c.id)).toEqual(['s3']);
    expect(await natives.stale(0)).toEqual(expect.arrayContaining([id]));
  });

  it("records the provider's shipment ids of held shipments only, and reads held shipments by id", async () => {
    const [row] = await db.dataSource.query(`SELECT native_batch_id FROM batch_shipments WHERE id = 's3'`);
    const id = row.native_batch_id as string;
    await natives.recordPrepared(id, [{ shipmentId: 's3', nativeShipmentId: 'se-3' }, { shipmentId: 's2', nativeShipmentId: 'se-2' }]);
    expect(await natives.shipments(id, ['s3', 's4'])).toEqual([expect.objectContaining({ id: 's3', nativeShipmentId: 'se-3' })]);
    const [failed] = await db.dataSource.query(`SELECT native_shipment_id FROM batch_shipments WHERE id = 's2'`);
    expect(failed.native_shipment_id).toBeNull();
  });

  it('keeps each page of each list with its own lease: one worker a page, failures counted, done once', async () => {
    const [row] = await db.dataSource.query(`SELECT native_batch_id FROM batch_shipments WHERE id = 's3'`);
    const id = row.native_batch_id as string;
    await natives.planPages(id, 'labels', 2);
    await natives.planPages(id, 'errors', 1);
    await natives.planPages(id, 'labels', 3);
    expect((await natives.pages(id)).map((p) => `${p.list} ${p.page}`)).toEqual(['errors 1', 'labels 1', 'labels 2', 'labels 3']);
    const racing = await Promise.all([natives.leasePage(id, 'labels', 1, 60_000), natives.leasePage(id, 'labels', 1, 60_000)]);
    expect(racing.filter(Boolean)).toHaveLength(1);
    expect((await natives.pages(id)).find((p) => p.list === 'labels' && p.page === 1)).toMatchObject({ leased: true, done: false });
    expect(await natives.releasePage(id, 'labels', 1, true)).toBe(1);
    // A holder that dies leaves its page abandoned once its lease runs out.
    expect(await natives.leasePage(id, 'labels', 2, 1)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect((await natives.pages(id)).find((p) => p.list === 'labels' && p.page === 2)).toMatchObject({ leased: false, abandoned: true });
    expect((await natives.pages(id)).find((p) => p.list === 'labels' && p.page === 3)).toMatchObject({ leased: false, abandoned: false });
    expect(await natives.leasePage(id, 'labels', 1, 60_000)).toBe(true);
    expect(await natives.pageDone(id, 'labels', 1)).toBe(3);
    expect(await natives.leasePage(id, 'labels', 1, 60_000)).toBe(false);
    expect(await natives.leasePage(id, 'labels', 9, 60_000)).toBe(false);
    expect(await natives.pageDone(id, 'labels', 2)).toBe(2);
    expect(await natives.pageDone(id, 'labels', 3)).toBe(1);
    expect(await natives.pageDone(id, 'errors', 1)).toBe(0);
    expect((await natives.pages(id)).every((p) => p.done && !p.leased)).toBe(true);
    expect((await natives.pages(id)).find((p) => p.list === 'labels' && p.page === 1)?.failures).toBe(1);
  });
});
