import { randomBytes } from 'node:crypto';
import { crc32, deflateSync } from 'node:zlib';
import { PDFDocument } from '@cantoo/pdf-lib';
import { Logger } from '@nestjs/common';
import { UrlSigner } from '@shipbatch/platform/config';
import { type DatabaseHandle, openDatabase } from '@shipbatch/platform/database';
import type { EnqueueItem, QueuePort } from '@shipbatch/platform/queue';
import { createTestDatabase, tempDir, type TestDatabase } from '@shipbatch/platform/testing';
import type { PurchasedLabel } from '@shipbatch/providers/core';
import { type FileContent, INLINE_MERGE_MAX_LABELS, type MergeLabelFilesJob, MergeLabelFilesUseCase, QUEUES } from '@shipbatch/shipping/application';
import { PdfMergeThread } from '@shipbatch/shipping/label-merger';
import { LocalFileStorage } from '../local-file.storage';
import { TypeormBatchRepository } from '../repositories/batch.repository';
import { TypeormPurchaseRepository } from '../repositories/purchase.repository';
import { TypeormLabelFilesRepository } from './label-files.repository';
import { SHIPPING_MIGRATIONS } from '../migrations';

/** The queue as the drivers behave: a job id still waiting is not added twice. Jobs are run by `drain`. */
class RecordingQueue implements QueuePort {
  jobs: Array<{ queue: string; data: MergeLabelFilesJob; jobId?: string }> = [];
  added = 0;

  async add<T extends object>(queue: string, data: T, options?: { jobId?: string }): Promise<void> {
    await this.addBulk(queue, [{ data, options }]);
  }

  async waiting(queue: string): Promise<number> {
    return this.jobs.filter((j) => j.queue === queue).length;
  }

  async addBulk<T extends object>(queue: string, items: EnqueueItem<T>[]): Promise<void> {
    for (const item of items) {
      const jobId = item.options?.jobId;
      if (jobId && this.jobs.some((j) => j.jobId === jobId)) continue;
      this.jobs.push({ queue, data: item.data as unknown as MergeLabelFilesJob, jobId });
      this.added++;
    }
  }
}

const pdfLabel = async (width: number): Promise<Buffer> => {
  const doc = await PDFDocument.create();
  doc.addPage([width, 300]);
  return Buffer.from(await doc.save());
};

/** A PNG chunk: length, type, data, CRC of type and data. */
const pngChunk = (type: string, data: Buffer): Buffer => {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
};

/** A white 8-bit greyscale PNG label, optionally declaring its resolution in a pHYs chunk. */
const pngLabel = (width: number, height: number, dpi?: number): Buffer => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (greyscale), no interlace
  const rows = Buffer.alloc((width + 1) * height, 0xff);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter byte: none
  const phys = Buffer.alloc(9);
  if (dpi) {
    phys.writeUInt32BE(Math.round(dpi / 0.0254), 0);
    phys.writeUInt32BE(Math.round(dpi / 0.0254), 4);
    phys[8] = 1; // unit: metre
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    ...(dpi ? [pngChunk('pHYs', phys)] : []),
    pngChunk('IDAT', deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
};

describe.each([
  ['PostgreSQL', true],
  ['embedded PGlite', false],
])('merged label files on %s', (_name, onPostgres) => {
  let testDb: TestDatabase | undefined;
  let db: DatabaseHandle;
  let batches: TypeormBatchRepository;
  let purchases: TypeormPurchaseRepository;
  const claimOne = async (id: string, leaseMs: number) => (await purchases.claimMany([id], leaseMs))[0] ?? null;
  let storage: LocalFileStorage;
  let queue: RecordingQueue;
  let merge: MergeLabelFilesUseCase;

  beforeAll(async () => {
    testDb = onPostgres ? await createTestDatabase('shipbatch_test_merge') : undefined;
    const dataDir = tempDir('shipbatch-merge-');
    db = await openDatabase({ databaseUrl: testDb?.url, dataDir }, { entities: [], migrations: SHIPPING_MIGRATIONS });
    await db.dataSource.query(`INSERT INTO tenants (id, name) VALUES ('t1', 'acme')`);
    await db.dataSource.query(
      `INSERT INTO carrier_accounts (id, tenant_id, provider, carrier, account_id, parameters_sealed)
       VALUES ('ca', 't1', 'mock', 'usps', 'a', '')`,
    );
    batches = new TypeormBatchRepository(db.dataSource);
    purchases = new TypeormPurchaseRepository(db.dataSource);
    storage = new LocalFileStorage({ dataDir, publicBaseUrl: 'http://api.test' }, new UrlSigner(randomBytes(32)));
    queue = new RecordingQueue();
    merge = new MergeLabelFilesUseCase(new TypeormLabelFilesRepository(db.dataSource), storage, queue, new PdfMergeThread());
    // Every merge a queued job here, as for chunks of more than INLINE_MERGE_MAX_LABELS; one test below merges in place.
    merge.inlineMaxLabels = 0;
  });
  afterAll(async () => {
    await db.close();
    await testDb?.drop();
  });

  /** Runs the merge jobs queued so far (and those they queue) to the end. */
  const drain = async () => {
    while (queue.jobs.length > 0) {
      const job = queue.jobs.shift();
      if (job?.queue === QUEUES.mergeLabelFiles) await merge.execute(job.data.batchId, job.data.chunk);
    }
  };

  /** A batch of n valid shipments, queued for purchase as POST /batches/{id}/purchase does. */
  const purchasingBatch = async (id: string, n: number, labelFiletype = 'PDF_4x6'): Promise<string[]> => {
    await batches.create(
      { id, tenantId: 't1', defaultCarrierAccount: 'ca', defaultServicelevelToken: 'usps_priority', labelFiletype, metadata: '' },
      Array.from({ length: n }, (_, i) => ({ id: `${id}-${i}`, input: { shipment: { address_from: 'a', address_to: 'b', parcel: 'p' } } })),
    );
    const command = { carrierAccountId: 'ca', command: { labelFileType: labelFiletype, shipment: {} }, warehouseId: null, externalShipmentId: null, isInternational: false };
    await db.dataSource.query(`UPDATE batch_shipments SET status = 'VALID', purchase_command = $2 WHERE batch_id = $1`, [id, JSON.stringify(command)]);
    await db.dataSource.query(`UPDATE batches SET status = 'VALID' WHERE id = $1`, [id]);
    return requeue(id, 'all_valid');
  };

  const requeue = async (batchId: string, which: 'all_valid' | 'retry_failed') => {
    const rows = await batches.withLockedBatch('t1', batchId, async (scope) => {
      const queued = await scope.queueForPurchase(which);
      await scope.apply(scope.batch.transition(which === 'all_valid' ? 'purchase_requested' : 'retry_requested'));
      return queued;
    });
    return (rows ?? []).map((r) => r.id);
  };

  const soldLabel = (shipmentId: string): PurchasedLabel => ({
    providerLabelId: `p-${shipmentId}`,
    reference: shipmentId,
    trackingNumber: `TRK-${shipmentId}`,
    carrier: 'usps',
    serviceLevelToken: 'usps_priority',
    cost: { amountMinor: 100, currency: 'usd' },
    createdAt: new Date().toISOString(),
  });

  /** What PurchaseShipmentUseCase does for one shipment: claim, store the file, record, then the hook. */
  const buy = async (batchId: string, shipmentId: string, document: Buffer, extension: string) => {
    const claim = await claimOne(shipmentId, 60_000);
    if (!claim) throw new Error(`cannot claim ${shipmentId}`);
    const key = `labels/t1/${shipmentId}.${extension}`;
    await storage.put(key, document, 'application/octet-stream');
    await purchases.recordPurchasedMany([{ claim, label: soldLabel(shipmentId), file: { key, url: storage.urlFor(key) } }]);
    await merge.afterSettled(batchId, [shipmentId]);
  };

  const fail = async (batchId: string, shipmentId: string) => {
    const claim = await claimOne(shipmentId, 60_000);
    if (!claim) throw new Error(`cannot claim ${shipmentId}`);
    await purchases.recordFailed(claim, { source: 'mock', code: 'unavailable', text: 'down' }, false);
    await merge.afterSettled(batchId, [shipmentId]);
  };

  const batchRow = async (id: string) => {
    const [row] = await db.dataSource.query(`SELECT status, label_file_keys FROM batches WHERE id = $1`, [id]);
    return row as { status: string; label_file_keys: string[] };
  };
  const purchasedEvents = async (id: string) =>
    Number((await db.dataSource.query(`SELECT count(*) AS n FROM outbox_events WHERE object_id = $1 AND type = 'batch_purchased'`, [id]))[0].n);
  /** Page widths of a merged PDF: each test label's width encodes its batch order. */
  const pageWidths = async (key: string) =>
    (await PDFDocument.load(await storage.read(key))).getPages().map((p) => Math.round(p.getWidth()));

  it('merges a 250-label batch into files of 100, 100 and 50 labels in batch order, as chunks complete', async () => {
    const ids = await purchasingBatch('big', 250);
    // Settle out of order: the second chunk completes first, then the first, then the last.
    const order = [...ids.slice(100, 200).reverse(), ...ids.slice(0, 100), ...ids.slice(200).reverse()];
    for (const id of order.slice(0, 100)) await buy('big', id, await pdfLabel(100 + ids.indexOf(id)), 'pdf');
    expect(queue.jobs.map((j) => j.data)).toEqual([{ batchId: 'big', chunk: 1 }]);
    await drain();
    // Chunk 1 is merged while the rest is still being bought; the batch is not PURCHASED yet.
    expect(await batchRow('big')).toEqual({ status: 'PURCHASING', label_file_keys: [] });
    const [early] = await db.dataSource.query(`SELECT chunk, label_count FROM batch_label_files WHERE batch_id = 'big'`);
    expect(early).toEqual({ chunk: 1, label_count: 100 });

    for (const id of order.slice(100, 249)) await buy('big', id, await pdfLabel(100 + ids.indexOf(id)), 'pdf');
    await drain();
    expect((await batchRow('big')).status).toBe('PURCHASING');
    await buy('big', order[249], await pdfLabel(100 + ids.indexOf(order[249])), 'pdf');
    await drain();

    const done = await batchRow('big');
    expect(done.status).toBe('PURCHASED');
    expect(done.label_file_keys).toHaveLength(3);
    expect(done.label_file_keys[0]).toMatch(/^batches\/t1\/big\/labels-001-[0-9a-f]{12}\.pdf$/);
    const widths = await Promise.all(done.label_file_keys.map(pageWidths));
    expect(widths.map((w) => w.length)).toEqual([100, 100, 50]);
    expect(widths.flat()).toEqual(ids.map((_, i) => 100 + i));
    expect(await purchasedEvents('big')).toBe(1);
  });

  it('is safe to run twice or at once: same files, one PURCHASED event', async () => {
    const ids = await purchasingBatch('twice', 3);
    for (const [i, id] of ids.entries()) await buy('twice', id, await pdfLabel(100 + i), 'pdf');
    await Promise.all([merge.execute('twice', 0), merge.execute('twice', 0), merge.execute('twice', 0)]);
    queue.jobs = [];
    const first = await batchRow('twice');
    expect(first.status).toBe('PURCHASED');
    const bytes = await storage.read(first.label_file_keys[0]);
    await merge.execute('twice', 0);
    expect(await merge.finish('twice')).toBe(false);
    expect(await batchRow('twice')).toEqual(first);
    expect((await storage.read(first.label_file_keys[0])).equals(bytes)).toBe(true);
    expect(await pageWidths(first.label_file_keys[0])).toEqual([100, 101, 102]);
    expect(await purchasedEvents('twice')).toBe(1);
  });

  it('merges a chunk whose last shipments two workers settle at the same time, once', async () => {
    const ids = await purchasingBatch('race', 4);
    await buy('race', ids[0], await pdfLabel(100), 'pdf');
    await buy('race', ids[1], await pdfLabel(101), 'pdf');
    const [third, fourth] = await Promise.all([pdfLabel(102), pdfLabel(103)]);
    const added = queue.added;
    await Promise.all([buy('race', ids[2], third, 'pdf'), buy('race', ids[3], fourth, 'pdf')]);
    // Whoever settled last saw the chunk complete; both may have: the job id makes it one job.
    expect(queue.added - added).toBe(1);
    expect(queue.jobs.map((j) => j.data)).toEqual([{ batchId: 'race', chunk: 0 }]);
    await drain();
    const done = await batchRow('race');
    expect(done.status).toBe('PURCHASED');
    expect(await pageWidths(done.label_file_keys[0])).toEqual([100, 101, 102, 103]);
  });

  it('merges a chunk of at most INLINE_MERGE_MAX_LABELS labels where its last shipment settles: no merge job, PURCHASED at once', async () => {
    merge.inlineMaxLabels = INLINE_MERGE_MAX_LABELS;
    try {
      await smallBatchesMergedInPlace();
    } finally {
      merge.inlineMaxLabels = 0;
    }
  });

  const smallBatchesMergedInPlace = async () => {
    const ids = await purchasingBatch('small', INLINE_MERGE_MAX_LABELS);
    const added = queue.added;
    for (const [i, id] of ids.entries()) await buy('small', id, await pdfLabel(100 + i), 'pdf');
    expect(queue.added - added).toBe(0);
    const done = await batchRow('small');
    expect(done.status).toBe('PURCHASED');
    expect(await pageWidths(done.label_file_keys[0])).toEqual(ids.map((_, i) => 100 + i));
    expect(await purchasedEvents('small')).toBe(1);

    // Two at once, each settling the last of its own small batch's chunk: both finish, once each.
    const a = await purchasingBatch('small-a', 2);
    const b = await purchasingBatch('small-b', 2);
    await buy('small-a', a[0], await pdfLabel(100), 'pdf');
    await buy('small-b', b[0], await pdfLabel(100), 'pdf');
    const [la, lb] = await Promise.all([pdfLabel(101), pdfLabel(101)]);
    await Promise.all([buy('small-a', a[1], la, 'pdf'), buy('small-b', b[1], lb, 'pdf')]);
    expect(queue.added - added).toBe(0);
    for (const id of ['small-a', 'small-b']) {
      expect((await batchRow(id)).status).toBe('PURCHASED');
      expect(await purchasedEvents(id)).toBe(1);
    }

    // One label more than that: queued as before.
    const big = await purchasingBatch('small-plus', INLINE_MERGE_MAX_LABELS + 1);
    for (const [i, id] of big.entries()) await buy('small-plus', id, await pdfLabel(100 + i), 'pdf');
    expect(queue.jobs.map((j) => j.data)).toEqual([{ batchId: 'small-plus', chunk: 0 }]);
    expect((await batchRow('small-plus')).status).toBe('PURCHASING');
    await drain();
    expect((await batchRow('small-plus')).status).toBe('PURCHASED');
  };

  it('concatenates ZPL II labels, one ^XA ... ^XZ block each, in batch order', async () => {
    const ids = await purchasingBatch('zpl', 3, 'ZPLII');
    for (const [i, id] of [...ids.entries()].reverse()) {
      await buy('zpl', id, Buffer.from(`^XA\n^FO40,40^FDlabel ${i}^FS\n^XZ`), 'zpl');
    }
    await drain();
    const done = await batchRow('zpl');
    expect(done.status).toBe('PURCHASED');
    expect(done.label_file_keys).toEqual([expect.stringMatching(/labels-001-[0-9a-f]{12}\.zpl$/)]);
    const text = (await storage.read(done.label_file_keys[0])).toString();
    expect(text.match(/\^XA[\s\S]*?\^XZ/g)?.map((b) => b.match(/label (\d)/)?.[1])).toEqual(['0', '1', '2']);
  });

  it('puts PNG labels one a page of a PDF, each page the image size at its resolution', async () => {
    const ids = await purchasingBatch('png', 2, 'PNG');
    await buy('png', ids[0], pngLabel(600, 900, 150), 'png'); // 4 x 6 in at 150 dpi
    await buy('png', ids[1], pngLabel(203, 406), 'png'); // no pHYs: 203 dpi assumed, 1 x 2 in
    await drain();
    const done = await batchRow('png');
    expect(done.status).toBe('PURCHASED');
    expect(done.label_file_keys).toEqual([expect.stringMatching(/\.pdf$/)]);
    const pdf = await PDFDocument.load(await storage.read(done.label_file_keys[0]));
    expect(pdf.getPages().map((p) => [Math.round(p.getWidth()), Math.round(p.getHeight())])).toEqual([
      [288, 432],
      [72, 144],
    ]);
  });

  it('writes no file for a chunk whose shipments all failed, and lists the others', async () => {
    const ids = await purchasingBatch('halffail', 150);
    for (const id of ids.slice(0, 100)) await fail('halffail', id);
    for (const [i, id] of ids.slice(100).entries()) await buy('halffail', id, await pdfLabel(200 + i), 'pdf');
    await drain();
    const done = await batchRow('halffail');
    expect(done.status).toBe('PURCHASED');
    expect(done.label_file_keys).toEqual([expect.stringMatching(/labels-002-/)]);
    expect((await pageWidths(done.label_file_keys[0])).length).toBe(50);

    const all = await purchasingBatch('allfail', 2);
    for (const id of all) await fail('allfail', id);
    await drain();
    expect(await batchRow('allfail')).toEqual({ status: 'PURCHASED', label_file_keys: [] });
  });

  it('rebuilds the affected files when failures are purchased again, and removes the replaced ones', async () => {
    const ids = await purchasingBatch('retry', 230);
    const failing = new Set([ids[5], ids[110], ids[111]]);
    for (const [i, id] of ids.entries()) {
      if (failing.has(id)) await fail('retry', id);
      else await buy('retry', id, await pdfLabel(100 + i), 'pdf');
    }
    await drain();
    const before = await batchRow('retry');
    expect(before.status).toBe('PURCHASED');
    expect((await Promise.all(before.label_file_keys.map(pageWidths))).map((w) => w.length)).toEqual([99, 98, 30]);

    // Purchase again: only the failures are queued; they keep their place in batch order.
    expect(await requeue('retry', 'retry_failed')).toEqual([ids[5], ids[110], ids[111]]);
    expect(await batchRow('retry')).toEqual({ status: 'PURCHASING', label_file_keys: before.label_file_keys });
    await buy('retry', ids[5], await pdfLabel(105), 'pdf');
    await buy('retry', ids[110], await pdfLabel(210), 'pdf');
    await drain();
    expect((await batchRow('retry')).status).toBe('PURCHASING'); // ids[111] is still open
    await fail('retry', ids[111]);
    await drain();

    const after = await batchRow('retry');
    expect(after.status).toBe('PURCHASED');
    expect(after.label_file_keys[0]).not.toBe(before.label_file_keys[0]);
    expect(after.label_file_keys[1]).not.toBe(before.label_file_keys[1]);
    expect(after.label_file_keys[2]).toBe(before.label_file_keys[2]); // untouched chunk kept
    const widths = await Promise.all(after.label_file_keys.map(pageWidths));
    expect(widths.map((w) => w.length)).toEqual([100, 99, 30]);
    expect(widths.flat()).toEqual(ids.filter((id) => id !== ids[111]).map((id) => 100 + ids.indexOf(id)));
    expect(await storage.exists(before.label_file_keys[0])).toBe(false);
    expect(await storage.exists(before.label_file_keys[1])).toBe(false);
    expect(await purchasedEvents('retry')).toBe(2);
  });

  it('leaves out a broken or missing label file rather than failing the batch for good', async () => {
    const ids = await purchasingBatch('broken', 3);
    await buy('broken', ids[0], await pdfLabel(100), 'pdf');
    await buy('broken', ids[1], Buffer.from('%PDF-1.7 not really'), 'pdf');
    await buy('broken', ids[2], await pdfLabel(102), 'pdf');
    await storage.delete(`labels/t1/${ids[2]}.pdf`);
    const errors = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    try {
      await drain();
      const logged = errors.mock.calls.map(([m]) => String(m));
      expect(logged).toEqual([
        expect.stringMatching(new RegExp(`label .+'s file labels/t1/${ids[2]}\\.pdf is missing; left out$`)),
        expect.stringMatching(/: label (?!undefined)\S+ could not be merged \(.+\); left out$/),
      ]);
    } finally {
      errors.mockRestore();
    }
    const done = await batchRow('broken');
    expect(done.status).toBe('PURCHASED');
    expect(await pageWidths(done.label_file_keys[0])).toEqual([100]);
  });

  it('stores nothing when reading a label fails midway (the merge job fails, and its retry writes the file)', async () => {
    const ids = await purchasingBatch('flaky', 3);
    for (const [i, id] of ids.entries()) await buy('flaky', id, await pdfLabel(100 + i), 'pdf');
    const puts: string[] = [];
    // The same files, but the last label cannot be read (a storage outage, not a missing file).
    let unreadable = ids[2];
    const flaky = Object.assign(Object.create(storage) as LocalFileStorage, {
      read: async (key: string) => {
        if (key.endsWith(`${unreadable}.pdf`)) throw new Error('storage unavailable');
        return storage.read(key);
      },
      put: async (key: string, content: FileContent, type: string) => {
        puts.push(key);
        return storage.put(key, content, type);
      },
    });
    const failing = new MergeLabelFilesUseCase(new TypeormLabelFilesRepository(db.dataSource), flaky, queue, new PdfMergeThread());
    const [job] = queue.jobs.splice(0);
    await expect(failing.execute(job.data.batchId, job.data.chunk)).rejects.toThrow('storage unavailable');
    expect(puts).toHaveLength(1);
    expect(await storage.exists(puts[0])).toBe(false);
    expect(await batchRow('flaky')).toEqual({ status: 'PURCHASING', label_file_keys: [] });
    await merge.execute(job.data.batchId, job.data.chunk);
    expect(await batchRow('flaky')).toEqual({ status: 'PURCHASED', label_file_keys: [puts[0]] });
    expect(await pageWidths(puts[0])).toEqual([100, 101, 102]);

    // Merged in place (a small chunk), the same failure queues the merge instead of failing the purchase.
    const small = await purchasingBatch('flaky-small', 2);
    const inPlace = new MergeLabelFilesUseCase(new TypeormLabelFilesRepository(db.dataSource), flaky, queue, new PdfMergeThread()); // merges small chunks in place
    await buy('flaky-small', small[0], await pdfLabel(100), 'pdf');
    const claim = await claimOne(small[1], 60_000);
    if (!claim) throw new Error(`cannot claim ${small[1]}`);
    const key = `labels/t1/${small[1]}.pdf`;
    await storage.put(key, await pdfLabel(101), 'application/pdf');
    await purchases.recordPurchasedMany([{ claim, label: soldLabel(small[1]), file: { key, url: storage.urlFor(key) } }]);
    unreadable = small[1];
    await inPlace.afterSettled('flaky-small', [small[1]]);
    expect(queue.jobs.map((j) => j.data)).toEqual([{ batchId: 'flaky-small', chunk: 0 }]);
    expect((await batchRow('flaky-small')).status).toBe('PURCHASING');
    await drain();
    expect((await batchRow('flaky-small')).status).toBe('PURCHASED');
  });

  it('leaves an open chunk alone, and recovers merges a crash lost', async () => {
    const ids = await purchasingBatch('crash', 101);
    await buy('crash', ids[0], await pdfLabel(100), 'pdf');
    // A merge job for a chunk that still has open shipments does nothing.
    await merge.execute('crash', 0);
    expect(Number((await db.dataSource.query(`SELECT count(*) AS n FROM batch_label_files WHERE batch_id = 'crash'`))[0].n)).toBe(0);

    for (const [i, id] of ids.slice(1).entries()) await buy('crash', id, await pdfLabel(101 + i), 'pdf');
    queue.jobs = []; // the process died with the merge jobs in memory
    expect((await batchRow('crash')).status).toBe('PURCHASING');
    expect(await merge.recover()).toBe(2);
    expect(queue.jobs.map((j) => j.data)).toEqual([
      { batchId: 'crash', chunk: 0 },
      { batchId: 'crash', chunk: 1 },
    ]);
    expect(await merge.recover()).toBe(2); // still waiting: not queued twice
    expect(queue.jobs).toHaveLength(2);
    await drain();
    const done = await batchRow('crash');
    expect(done.status).toBe('PURCHASED');
    expect((await Promise.all(done.label_file_keys.map(pageWidths))).flat()).toEqual(ids.map((_, i) => 100 + i));
    expect(await merge.recover()).toBe(0);
  });

  it('keeps a batch PURCHASING while a shipment is NATIVE, and finishes only a PURCHASING batch', async () => {
    const ids = await purchasingBatch('native', 2);
    // The second shipment is handed to a provider's batch (QUEUED -> NATIVE); its claim-shaped
    // row is what the native path records with.
    const claim = await claimOne(ids[1], 60_000);
    if (!claim) throw new Error('not claimed');
    await db.dataSource.query(`UPDATE batch_shipments SET purchase_state = 'NATIVE', lease_until = NULL WHERE id = $1`, [ids[1]]);
    await buy('native', ids[0], await pdfLabel(100), 'pdf');
    // NATIVE is open for the domain's rule: the chunk is not merged and the batch not finished.
    expect(queue.jobs).toEqual([]);
    expect(await merge.finish('native')).toBe(false);
    expect((await batchRow('native')).status).toBe('PURCHASING');

    // Collected from the provider's batch (NATIVE -> PURCHASED): the chunk settles, the batch finishes.
    const key = `labels/t1/${ids[1]}.pdf`;
    await storage.put(key, await pdfLabel(101), 'application/pdf');
    const label: PurchasedLabel = {
      providerLabelId: 'p-native',
      reference: ids[1],
      trackingNumber: 'TRK-native',
      carrier: 'usps',
      serviceLevelToken: 'usps_priority',
      cost: { amountMinor: 100, currency: 'usd' },
      createdAt: new Date().toISOString(),
    };
    await purchases.recordPurchasedMany([{ claim, label, file: { key, url: storage.urlFor(key) } }]);
    await merge.afterSettled('native', [ids[1]]);
    await drain();
    const done = await batchRow('native');
    expect(done.status).toBe('PURCHASED');
    expect(await pageWidths(done.label_file_keys[0])).toEqual([100, 101]);

    // purchase_finished applies only from PURCHASING: a batch in any other status is left alone.
    await db.dataSource.query(`UPDATE batches SET status = 'VALID' WHERE id = 'native'`);
    expect(await new TypeormLabelFilesRepository(db.dataSource).finishPurchase('native')).toBeNull();
    expect((await batchRow('native')).status).toBe('VALID');
    expect(await purchasedEvents('native')).toBe(1);
  });
});
