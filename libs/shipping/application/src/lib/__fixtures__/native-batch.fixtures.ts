/** In-memory doubles of the native batch's repository, queue and provider ports, for the use case's specs. */
import {
  type LabelProvider,
  type NativeBatchList,
  type NativeBatchOutcome,
  type NativeBatchPort,
  ProviderUnavailableError,
  type PurchasedLabel,
} from '@shipbatch/providers/core';
import { DEFAULT_WORKER_SETTINGS } from '@shipbatch/platform/config';
import type { QueuePort } from '@shipbatch/platform/queue';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { NativeBatchListName, NativeBatchPageRow, NativeBatchRecord, NativeBatchRepository, NativeBatchStep, NativeShipment } from '../native-batch/native-batch.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import type { PurchaseRepository } from '../purchase/purchase.repository';
import type { MergeLabelFilesUseCase } from '../label-files/merge-label-files.use-case';
import { NativeBatchCollector } from '../native-batch/native-batch.collector';
import { NativeBatchCreation } from '../native-batch/native-batch.creation';
import type { NativeBatchJobData } from '../native-batch/native-batch.jobs';
import { NativeBatchPages } from '../native-batch/native-batch.pages';
import { NativeBatchSettlement } from '../native-batch/native-batch.settlement';
import { NativeBatchSteps } from '../native-batch/native-batch.steps';
import { NativeBatchUseCase } from '../native-batch/native-batch.use-case';
import type { PurchasedLabelFiles } from '../label-files/purchased-label.files';

type PageRow = NativeBatchPageRow & { leaseUntil: number };

/** The repository's rules (conditional moves, leases, hand-over states) over plain objects. */
export class MemoryNatives implements NativeBatchRepository {
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
      if (!this.pageRows.some((p) => p.list === list && p.page === page)) this.pageRows.push({ list, page, done: false, failures: 0, leased: false, abandoned: false, leaseUntil: 0 });
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

export const claim = (id: string) => ({
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

export const aLabel = (reference: string, id = `tx-${reference}`) =>
  ({ providerLabelId: id, reference, trackingNumber: `9400${reference}`, carrier: 'usps', serviceLevelToken: 'usps_priority', cost: { amountMinor: 758, currency: 'usd' }, createdAt: new Date(0).toISOString() }) as PurchasedLabel;

export const ids = (n: number) => Array.from({ length: n }, (_, i) => `s${i}`);

/**
 * A provider like Shippo: the batch made with its shipments, validated after one read (`invalid`
 * found invalid), purchased after one read; one list of pages whose outcomes are read by `label`.
 */
export function validatingPort(
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
export function preparingPort(log: string[], all: string[], options: { chunk?: number; errors?: string[]; alone?: string[]; loseCreateAnswer?: boolean } = {}): NativeBatchPort {
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

export function setup(shipments: string[], makePort: (log: string[]) => NativeBatchPort) {
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
  const config = { workers: DEFAULT_WORKER_SETTINGS };
  const collector = new NativeBatchCollector(natives, accounts, gateway, purchases, files, queue, settle, config);
  const steps = new NativeBatchSteps(natives, settle, collector, new NativeBatchCreation(natives, settle), new NativeBatchPages(natives, queue, settle), config);
  const useCase = new NativeBatchUseCase(natives, queue, collector, steps, config);
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

