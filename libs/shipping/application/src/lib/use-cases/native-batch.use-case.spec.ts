import {
  type LabelProvider,
  type NativeBatchList,
  type NativeBatchOutcome,
  type NativeBatchPort,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  type PurchasedLabel,
} from '@shipbatch/providers/core';
import type { QueuePort } from '@shipbatch/platform/queue';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../ports/carrier-account.repository';
import type { NativeBatchListName, NativeBatchPageRow, NativeBatchRecord, NativeBatchRepository, NativeBatchStep, NativeShipment } from '../ports/native-batch.repository';
import type { ProviderGateway } from '../ports/provider.gateway';
import type { PurchaseRepository } from '../ports/purchase.repository';
import type { MergeLabelFilesUseCase } from './merge-label-files.use-case';
import { NativeBatchCollector } from './native-batch.collector';
import { type NativeBatchJobData, nativeJobId, nativePageJobId } from './native-batch.jobs';
import { NativeBatchSettlement } from './native-batch.settlement';
import { NATIVE_MAX_FAILURES, NATIVE_PURCHASE_UNTAKEN_MS, NativeBatchUseCase } from './native-batch.use-case';
import type { PurchasedLabelFiles } from './purchased-label.files';

type PageRow = NativeBatchPageRow & { leaseUntil: number };

/** The repository's rules (conditional moves, leases, hand-over states) over plain objects. */
class MemoryNatives implements NativeBatchRepository {
  row: NativeBatchRecord = { id: 'nb1', tenantId: 't1', batchId: 'b1', carrierAccountId: 'ca1', labelFileType: 'PDF_4x6', providerBatchId: null, state: 'CREATING', polls: 0, failures: 0, createSentAt: null, purchaseRequestedAt: null, purchaseAnsweredAt: null };
  ship: Map<string, string>;
  nativeIds = new Map<string, string>();
  messages = new Map<string, string>();
  lookups = new Set<string>();
  pageRows: PageRow[] = [];
  leased = false;
  constructor(ids: string[]) {
    this.ship = new Map(ids.map((id) => [id, 'NATIVE']));
  }
  async queuedShares() {
    return [];
  }
  async candidates() {
    return [];
  }
  async handOver() {
    return null;
  }
  async lease() {
    if (this.leased) return null;
    this.leased = true;
    return { ...this.row };
  }
  async release() {
    this.leased = false;
  }
  async find() {
    return { ...this.row };
  }
  async shipments(_id: string, ids?: string[]): Promise<NativeShipment[]> {
    return [...this.ship].filter(([id, s]) => s === 'NATIVE' && (!ids || ids.includes(id))).map(([id]) => ({ ...claim(id), nativeShipmentId: this.nativeIds.get(id) ?? null }));
  }
  async recordPrepared(_id: string, made: Array<{ shipmentId: string; nativeShipmentId: string }>) {
    for (const m of made) if (this.ship.get(m.shipmentId) === 'NATIVE') this.nativeIds.set(m.shipmentId, m.nativeShipmentId);
  }
  async recordCreateSent() {
    if (this.row.state === 'CREATING') this.row.createSentAt = new Date();
  }
  async requestPurchase() {
    if (this.row.state !== 'VALIDATED') return false;
    Object.assign(this.row, { state: 'PURCHASE_REQUESTED', polls: 0, purchaseRequestedAt: new Date(), purchaseAnsweredAt: null });
    return true;
  }
  async recordPurchaseAnswered() {
    if (this.row.state === 'PURCHASE_REQUESTED') this.row.purchaseAnsweredAt = new Date();
  }
  async recordCreated(_id: string, providerBatchId: string) {
    if (this.row.state !== 'CREATING' || this.row.providerBatchId) return false;
    Object.assign(this.row, { state: 'CREATED', providerBatchId, polls: 0 });
    return true;
  }
  async move(_id: string, from: NativeBatchStep, to: NativeBatchStep) {
    if (this.row.state !== from) return false;
    Object.assign(this.row, { state: to, polls: 0 });
    return true;
  }
  async count(_id: string, what: 'polls' | 'failures') {
    this.row[what]++;
  }
  async giveBack(_id: string, ids: string[], lookupRequired: boolean) {
    const back = ids.filter((id) => this.ship.get(id) === 'NATIVE');
    for (const id of back) {
      this.ship.set(id, 'QUEUED');
      if (lookupRequired) this.lookups.add(id);
    }
    return back.map((id) => ({ id, queueToken: 2 }));
  }
  async fail(_id: string, failures: Array<{ shipmentId: string; messages: Array<{ code: string; text: string }> }>) {
    for (const f of failures) {
      if (this.ship.get(f.shipmentId) !== 'NATIVE') continue;
      this.ship.set(f.shipmentId, 'FAILED');
      this.messages.set(f.shipmentId, `${f.messages[0].code}: ${f.messages[0].text}`);
    }
  }
  async stale() {
    return [];
  }
  async planPages(_id: string, list: NativeBatchListName, pages: number) {
    for (let page = 1; page <= pages; page++) {
      if (!this.pageRows.some((p) => p.list === list && p.page === page)) this.pageRows.push({ list, page, done: false, failures: 0, leased: false, leaseUntil: 0 });
    }
  }
  async pages() {
    return this.pageRows.map((p) => ({ list: p.list, page: p.page, done: p.done, failures: p.failures, leased: p.leaseUntil > Date.now(), abandoned: p.leaseUntil > 0 && p.leaseUntil <= Date.now() }));
  }
  async leasePage(_id: string, list: NativeBatchListName, page: number, ms: number) {
    const p = this.pageOf(list, page);
    if (!p || p.done || p.leaseUntil > Date.now()) return false;
    p.leaseUntil = Date.now() + ms;
    return true;
  }
  async releasePage(_id: string, list: NativeBatchListName, page: number, failed: boolean) {
    const p = this.pageOf(list, page);
    if (!p) return 0;
    p.leaseUntil = 0;
    if (failed) p.failures++;
    return p.failures;
  }
  async pageDone(_id: string, list: NativeBatchListName, page: number) {
    const p = this.pageOf(list, page);
    if (p) Object.assign(p, { done: true, leaseUntil: 0 });
    return this.pageRows.filter((r) => !r.done).length;
  }
  private pageOf(list: NativeBatchListName, page: number) {
    return this.pageRows.find((p) => p.list === list && p.page === page);
  }
}

const claim = (id: string) => ({
  id,
  tenantId: 't1',
  batchId: 'b1',
  shipmentId: null,
  purchase: {
    carrierAccountId: 'ca1',
    command: { carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: { addressFrom: {}, addressTo: {}, parcels: [] }, labelFileType: 'PDF_4x6' },
    warehouseId: null,
    externalShipmentId: null,
    isInternational: false,
  },
  lookupRequired: false,
  failures: 0,
  queueToken: 1,
}) as unknown as NativeShipment;

const aLabel = (reference: string, id = `tx-${reference}`) =>
  ({ providerLabelId: id, reference, trackingNumber: `9400${reference}`, carrier: 'usps', serviceLevelToken: 'usps_priority', cost: { amountMinor: 758, currency: 'usd' }, createdAt: new Date(0).toISOString() }) as PurchasedLabel;

const ids = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);

/**
 * A provider like Shippo: the batch made with its shipments, validated after one read (`invalid`
 * found invalid), purchased after one read; one list of pages whose outcomes are read by `label`.
 */
function validatingPort(
  log: string[],
  all: string[],
  options: { pageSize?: number; invalid?: string[]; missing?: string[]; purchaseFails?: boolean; purchaseLost?: boolean } = {},
): NativeBatchPort {
  const pageSize = options.pageSize ?? 100;
  let reads = 0;
  let purchased = false;
  let held = all.filter((id) => !options.missing?.includes(id));
  return {
    lists: ['labels'],
    create: async ({ members }) => (log.push(`create ${members.length}`), { providerBatchId: 'pb1' }),
    status: async () => (reads++ === 0 ? (purchased ? 'PURCHASING' : 'VALIDATING') : purchased ? 'PURCHASED' : 'READY'),
    review: async () => held.filter((id) => options.invalid?.includes(id)).map((id) => ({ reference: id, providerShipmentId: `p-${id}`, messages: [{ source: 'USPS', code: 'address_invalid', text: 'bad address' }] })),
    remove: async (_id, removed) => {
      log.push(`remove ${removed}`);
      held = held.filter((id) => !removed.includes(`p-${id}`));
    },
    purchase: async () => {
      log.push('purchase');
      if (options.purchaseFails) throw new ProviderUnavailableError('timeout', { possiblyCommitted: true });
      purchased = true;
      reads = 0;
      if (options.purchaseLost) throw new ProviderUnavailableError('socket hang up', { possiblyCommitted: true });
    },
    list: async (_id, _list, page) => {
      log.push(`page ${page}`);
      const items: NativeBatchOutcome[] = held.slice((page - 1) * pageSize, page * pageSize).map((id) => ({ reference: id, kind: 'bought', labelRef: `tx-${id}` }));
      return { items, pages: Math.max(1, Math.ceil(held.length / pageSize)) };
    },
    label: async (labelRef, reference) => (log.push(`label ${reference}`), aLabel(reference, labelRef)),
  };
}

/**
 * A provider like ShipStation: shipments prepared first (`chunk` a call), the batch found again
 * by our reference, ready at once, purchased after one read; labels listed with the batch and
 * failures in a list of their own (`errors`: failed, or `alone` for insufficient funds).
 */
function preparingPort(log: string[], all: string[], options: { chunk?: number; errors?: string[]; alone?: string[]; loseCreateAnswer?: boolean } = {}): NativeBatchPort {
  let batch: string | null = null;
  let reads = 0;
  let purchased = false;
  const failedIds = [...(options.errors ?? []), ...(options.alone ?? [])];
  const bought = all.filter((id) => !failedIds.includes(id));
  return {
    lists: ['labels', 'errors'],
    prepareChunkSize: options.chunk ?? 100,
    prepare: async ({ commands }) => (log.push(`prepare ${commands.length}`), commands.map((c) => ({ reference: c.reference, providerShipmentId: `se-${c.reference}` }))),
    create: async ({ reference, members }) => {
      log.push(`create ${members.length} ${members.every((m) => m.providerShipmentId === `se-${m.command.reference}`)}`);
      batch = `se-batch-${reference}`;
      if (options.loseCreateAnswer) {
        options.loseCreateAnswer = false;
        throw new ProviderUnavailableError('socket hang up', { possiblyCommitted: true });
      }
      return { providerBatchId: batch };
    },
    find: async (reference) => (log.push(`find ${reference}`), batch ? { providerBatchId: batch } : null),
    status: async () => (purchased ? (reads++ === 0 ? 'PURCHASING' : 'PURCHASED') : 'READY'),
    purchase: async () => {
      log.push('purchase');
      purchased = true;
    },
    list: async (_id, list: NativeBatchList, page) => {
      log.push(`${list} ${page}`);
      if (list === 'errors') {
        const items: NativeBatchOutcome[] = failedIds.map((id) =>
          options.alone?.includes(id)
            ? { reference: id, kind: 'buy_alone', messages: [{ source: 'shipstation', code: 'insufficient_funds', text: 'Insufficient funds' }] }
            : { reference: id, kind: 'failed', messages: [{ source: 'shipstation', code: 'batch_error', text: `carrier refused ${id}` }] },
        );
        return { items, pages: 1 };
      }
      return { items: bought.slice((page - 1) * 500, page * 500).map((id) => ({ reference: id, kind: 'label', label: aLabel(id, `se-label-${id}`) })), pages: Math.max(1, Math.ceil(bought.length / 500)) };
    },
  };
}

function setup(shipments: string[], makePort: (log: string[]) => NativeBatchPort) {
  const log: string[] = [];
  const natives = new MemoryNatives(shipments);
  const port = makePort(log);
  const provider = { key: 'any', capabilities: { nativeBatch: { maxSize: 10_000 } }, nativeBatch: port } as unknown as LabelProvider;
  const accounts = { findByIdUnscoped: async () => ({ id: 'ca1', active: true }) as CarrierAccountRecord } as unknown as CarrierAccountRepository;
  const gateway = { forAccount: () => provider } as unknown as ProviderGateway;
  const recorded: string[] = [];
  const purchases = {
    recordPurchasedMany: async (items: Array<{ claim: NativeShipment }>) =>
      items.forEach((i) => {
        recorded.push(i.claim.id);
        natives.ship.set(i.claim.id, 'PURCHASED');
      }),
  } as unknown as PurchaseRepository;
  const files = { store: async () => null } as unknown as PurchasedLabelFiles;
  /** Jobs rung and not yet run, deduplicated by id while waiting (as the queue does). */
  const jobs: Array<{ data: NativeBatchJobData; id: string }> = [];
  /** Ids of jobs a dead worker took: the queue still counts them as active, so the same id is not added. */
  const dead = new Set<string>();
  const singles: string[] = [];
  const add = (data: NativeBatchJobData, id = '') => {
    if (id && (jobs.some((j) => j.id === id) || dead.has(id))) return;
    jobs.push({ data, id });
  };
  const queue = {
    add: async (_q: string, data: NativeBatchJobData, options?: { jobId?: string }) => add(data, options?.jobId),
    addBulk: async (q: string, items: Array<{ data: NativeBatchJobData & { batchShipmentId?: string }; options?: { jobId?: string } }>) => {
      for (const item of items) {
        if (q === 'purchase-shipment') singles.push(item.data.batchShipmentId ?? '');
        else add(item.data, item.options?.jobId);
      }
    },
  } as unknown as QueuePort;
  const merges = { afterSettled: async () => undefined } as unknown as MergeLabelFilesUseCase;
  const settle = new NativeBatchSettlement(natives, queue, merges);
  const collector = new NativeBatchCollector(natives, accounts, gateway, purchases, files, queue, settle);
  const useCase = new NativeBatchUseCase(natives, accounts, gateway, queue, settle, collector);
  add({ nativeBatchId: 'nb1' });
  /** Runs the rung jobs, `order` picking the next one, until none is left. */
  const runAll = async (limit = 200, order: 'fifo' | 'lifo' = 'fifo') => {
    for (let i = 0; i < limit && jobs.length > 0; i++) {
      const job = order === 'fifo' ? jobs.shift() : jobs.pop();
      if (job) await useCase.execute(job.data);
    }
  };
  /** Runs the page jobs waiting now, all at once (as several workers would). */
  const runPagesAtOnce = async () => {
    const pages = jobs.filter((j) => j.data.page !== undefined);
    jobs.splice(0, jobs.length, ...jobs.filter((j) => j.data.page === undefined));
    await Promise.all(pages.map((j) => useCase.execute(j.data)));
  };
  return { useCase, natives, log, runAll, runPagesAtOnce, jobs, dead, recorded, singles };
}

describe('NativeBatchUseCase', () => {
  it('validating provider: creates, fails and removes what it found invalid, purchases once, reads every page once and records every label', async () => {
    const all = ids(250);
    const { natives, log, runAll, recorded } = setup(all, (l) => validatingPort(l, all, { invalid: ['s1'] }));
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(natives.row.providerBatchId).toBe('pb1');
    expect(log.filter((l) => !l.startsWith('label'))).toEqual(['create 250', 'remove p-s1', 'purchase', 'page 1', 'page 1', 'page 2', 'page 3']);
    expect(log.filter((l) => l.startsWith('label'))).toHaveLength(249);
    expect(natives.ship.get('s1')).toBe('FAILED');
    expect(natives.messages.get('s1')).toBe('address_invalid: bad address');
    expect(new Set(recorded).size).toBe(249);
    expect(recorded).toHaveLength(249);
  });

  it('preparing provider: makes the shipments in chunks first, creates the batch with their ids, takes labels as listed and failures from their own list', async () => {
    const all = ids(620);
    const { natives, log, runAll, recorded, singles } = setup(all, (l) => preparingPort(l, all, { chunk: 100, errors: ['s3'], alone: ['s4', 's5'] }));
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(log.filter((l) => l.startsWith('prepare'))).toEqual(['prepare 100', 'prepare 100', 'prepare 100', 'prepare 100', 'prepare 100', 'prepare 100', 'prepare 20']);
    expect(log.filter((l) => !l.startsWith('prepare'))).toEqual(['create 620 true', 'purchase', 'labels 1', 'errors 1', 'labels 1', 'labels 2', 'errors 1']);
    expect(natives.messages.get('s3')).toBe('batch_error: carrier refused s3');
    // Insufficient funds inside the batch: bought alone (funding applies there), looked up first.
    expect(singles).toEqual(['s4', 's5']);
    expect([...natives.lookups]).toEqual(['s4', 's5']);
    expect(recorded).toHaveLength(617);
    expect(log.filter((l) => l === 'purchase')).toHaveLength(1);
  });

  it('finds the provider batch of a create whose answer was lost instead of creating another', async () => {
    const all = ids(60);
    const { natives, log, runAll } = setup(all, (l) => preparingPort(l, all, { loseCreateAnswer: true }));
    await runAll(200);
    expect(log.filter((l) => l.startsWith('create') || l.startsWith('find'))).toEqual(['create 60 true', 'find nb1']);
    expect(natives.row.providerBatchId).toBe('se-batch-nb1');
    expect(natives.row.state).toBe('COLLECTED');
    expect(natives.row.failures).toBe(1);
  });

  it('never asks for the purchase twice: after a purchase that may have taken, it only reads', async () => {
    const all = ids(3);
    const { natives, log, runAll } = setup(all, (l) => validatingPort(l, all, { purchaseFails: true }));
    await runAll(12);
    expect(log.filter((l) => l === 'purchase')).toEqual(['purchase']);
    expect(natives.row.state).toBe('PURCHASE_REQUESTED');
  });

  it('a purchase that may have taken is only read afterwards, even when earlier failures used up the retries: never given to single purchases', async () => {
    const all = ids(3);
    const { natives, log, runAll, singles } = setup(all, (l) => validatingPort(l, all, { purchaseFails: true }));
    natives.row.failures = NATIVE_MAX_FAILURES;
    await runAll(12);
    expect(log.filter((l) => l === 'purchase')).toEqual(['purchase']);
    expect(singles).toEqual([]);
    expect(natives.row.state).toBe('PURCHASE_REQUESTED');
  });

  it('a purchase of unknown outcome whose provider batch stays READY long after it was asked for was not made: bought alone, looked up first, never asked again', async () => {
    const all = ids(3);
    const { natives, log, runAll, singles } = setup(all, (l) => validatingPort(l, all, { purchaseFails: true }));
    await runAll(6);
    expect(natives.row.state).toBe('PURCHASE_REQUESTED');
    expect(singles).toEqual([]);
    // Longer ago than NATIVE_PURCHASE_UNTAKEN_MS, and still READY at the provider.
    natives.row.purchaseRequestedAt = new Date(Date.now() - NATIVE_PURCHASE_UNTAKEN_MS - 1_000);
    await runAll(6);
    expect(natives.row.state).toBe('FAILED');
    expect(singles).toEqual(all);
    expect([...natives.lookups]).toEqual(all);
    expect(log.filter((l) => l === 'purchase')).toEqual(['purchase']);
  });

  it('a purchase whose answer was lost but which the provider made is collected, however long it took', async () => {
    const all = ids(3);
    const { natives, runAll, recorded, singles } = setup(all, (l) => validatingPort(l, all, { purchaseLost: true }));
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(recorded).toHaveLength(3);
    expect(singles).toEqual([]);
  });

  it('resumes from the recorded state after a crash, without creating the provider batch again', async () => {
    const all = ids(3);
    const { natives, log, useCase, runAll, jobs } = setup(all, (l) => validatingPort(l, all));
    await useCase.execute(jobs.shift()?.data ?? { nativeBatchId: 'nb1' });
    expect(natives.row.state).toBe('CREATED');
    // The worker died holding the lease and its next job was lost: the lease runs out, the reconciler rings it.
    jobs.splice(0);
    natives.leased = false;
    jobs.push({ data: { nativeBatchId: 'nb1' }, id: '' });
    await runAll();
    expect(log.filter((l) => l.startsWith('create'))).toHaveLength(1);
    expect(natives.row.state).toBe('COLLECTED');
  });

  it('takes no step while another worker holds the lease', async () => {
    const all = ids(3);
    const { natives, log, useCase } = setup(all, (l) => validatingPort(l, all));
    natives.leased = true;
    await useCase.execute({ nativeBatchId: 'nb1' });
    expect(log).toEqual([]);
    expect(natives.row.state).toBe('CREATING');
  });

  it('collects pages on several workers at once, and a page run twice (a repeated job, a dead worker) records nothing twice', async () => {
    const all = ids(1000);
    const { natives, jobs, runAll, runPagesAtOnce, useCase, recorded } = setup(all, (l) => validatingPort(l, all));
    for (let i = 0; i < 30 && jobs.every((j) => j.data.page === undefined); i++) await runAll(1);
    expect(jobs.filter((j) => j.data.page !== undefined).map((j) => j.data.page)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Page 4 again, once its lease is free, as a dead worker's or a repeated job's would be.
    const again = { nativeBatchId: 'nb1', list: 'labels' as const, page: 4 };
    await runPagesAtOnce();
    for (const p of natives.pageRows.filter((row) => row.page === 4)) p.done = false;
    await useCase.execute(again);
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(recorded).toHaveLength(1000);
    expect(new Set(recorded).size).toBe(1000);
  });

  it('rings a page a dead worker abandoned under a new job id once its lease ran out (its old job still counts as active)', async () => {
    const all = ids(300);
    const { natives, jobs, dead, runAll, recorded } = setup(all, (l) => validatingPort(l, all));
    for (let i = 0; i < 30 && jobs.every((j) => j.data.page === undefined); i++) await runAll(1);
    // A worker takes page 2's job, leases the page and dies; its lease runs out.
    const taken = jobs.splice(jobs.findIndex((j) => j.data.page === 2), 1)[0];
    dead.add(taken.id);
    await natives.leasePage('nb1', 'labels', 2, 60_000);
    for (const p of natives.pageRows.filter((row) => row.page === 2)) p.leaseUntil = Date.now() - 1;
    await runAll(400);
    expect(natives.row.state).toBe('COLLECTED');
    expect(recorded).toHaveLength(300);
  });

  it("finishes when the worker that took the step's look died with it: each page done rings a look of its own for after the leases", async () => {
    const all = ids(300);
    const { natives, jobs, dead, runAll, recorded } = setup(all, (l) => validatingPort(l, all));
    for (let i = 0; i < 30 && jobs.every((j) => j.data.page === undefined); i++) await runAll(1);
    // One worker took the step's look and page 2, and died; its lease on page 2 runs out.
    for (const taken of jobs.splice(0).filter((j) => j.data.page === undefined || j.data.page === 2)) dead.add(taken.id);
    jobs.push(...[1, 3].map((page) => ({ data: { nativeBatchId: 'nb1', list: 'labels' as const, page }, id: `p${page}` })));
    await natives.leasePage('nb1', 'labels', 2, 60_000);
    for (const p of natives.pageRows.filter((row) => row.page === 2)) p.leaseUntil = Date.now() - 1;
    await runAll(400);
    expect(natives.row.state).toBe('COLLECTED');
    expect(recorded).toHaveLength(300);
  });

  it('gives a shipment the provider batch never held back to single purchases once every page is read, looked up first', async () => {
    const all = ids(150);
    const { natives, runAll, singles, recorded } = setup(all, (l) => validatingPort(l, all, { missing: ['s7'] }));
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(singles).toEqual(['s7']);
    expect(natives.lookups.has('s7')).toBe(true);
    expect(recorded).toHaveLength(149);
  });

  it('after the purchase, a shipment of ours on no page is bought alone, looked up first', async () => {
    const all = ids(150);
    const { natives, runAll, singles } = setup(all, (l) => {
      const port = validatingPort(l, all);
      const list = port.list.bind(port);
      port.list = async (id, name, page) => {
        const read = await list(id, name, page);
        return { ...read, items: read.items.filter((i) => i.reference !== 's120') };
      };
      return port;
    });
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(singles).toEqual(['s120']);
    expect(natives.lookups.has('s120')).toBe(true);
  });

  it('waits out a rate limit on a page without counting it, however often it comes', async () => {
    const all = ids(2);
    let limited = 12;
    const { natives, runAll } = setup(all, (l) => {
      const port = validatingPort(l, all);
      const list = port.list.bind(port);
      port.list = async (id, name, page) => {
        if (natives.row.state === 'PURCHASED' && limited-- > 0) throw new ProviderRateLimitedError('429', { retryAfterMs: 3_000 });
        return list(id, name, page);
      };
      return port;
    });
    await runAll(300);
    expect(natives.row.state).toBe('COLLECTED');
    expect(natives.pageRows.map((p) => p.failures)).toEqual([0]);
    expect([...natives.ship.values()]).toEqual(['PURCHASED', 'PURCHASED']);
  });

  it('reads a page again after a failed label read, and gives a page that keeps failing up: its shipments are bought alone, looked up first', async () => {
    const all = ids(150);
    let flaky = 1;
    const { natives, runAll, recorded, singles } = setup(all, (l) => {
      const port = validatingPort(l, all);
      port.label = async (labelRef, reference) => {
        if (reference === 's3' && flaky-- > 0) throw new ProviderUnavailableError('503');
        if (reference === 's140') throw new ProviderUnavailableError('503');
        return aLabel(reference, labelRef);
      };
      return port;
    });
    await runAll(400);
    expect(natives.row.state).toBe('COLLECTED');
    expect(natives.ship.get('s3')).toBe('PURCHASED');
    expect(singles).toEqual(['s140']);
    expect(natives.lookups.has('s140')).toBe(true);
    expect(recorded).toHaveLength(149);
    expect(natives.pageRows.map((p) => p.failures)).toEqual([1, 8]);
  });

  it('names its jobs with three parts: steps unique per ring, pages one per page and round', () => {
    const a = nativeJobId('nb1', 'created');
    expect(a.split(':')).toHaveLength(3);
    expect(nativeJobId('nb1', 'created')).not.toBe(a);
    expect(nativePageJobId('nb1', 'labels', 3, 0).split(':')).toHaveLength(3);
    expect(nativePageJobId('nb1', 'labels', 3, 0)).toBe(nativePageJobId('nb1', 'labels', 3, 0));
    expect(nativePageJobId('nb1', 'labels', 3, 1)).not.toBe(nativePageJobId('nb1', 'labels', 3, 0));
  });
});
