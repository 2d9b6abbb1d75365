import {
  type LabelProvider,
  type NativeBatchPort,
  type NativeBatchState,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  type PurchasedLabel,
} from '@shipbatch/providers/core';
import type { QueuePort } from '@shipbatch/platform/queue';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../ports/carrier-account.repository';
import type { NativeBatchRecord, NativeBatchRepository, NativeBatchStep } from '../ports/native-batch.repository';
import type { ProviderGateway } from '../ports/provider.gateway';
import type { ClaimedPurchase, PurchaseRepository } from '../ports/purchase.repository';
import type { MergeLabelFilesUseCase } from './merge-label-files.use-case';
import { type NativeBatchJobData, NativeBatchUseCase, nativeJobId } from './native-batch.use-case';
import type { PurchasedLabelFiles } from './purchased-label.files';

/** The repository's rules (conditional moves, hand-over states) over plain objects. */
class MemoryNatives implements Pick<NativeBatchRepository, keyof NativeBatchRepository> {
  row: NativeBatchRecord = { id: 'nb1', tenantId: 't1', batchId: 'b1', carrierAccountId: 'ca1', labelFileType: 'PDF_4x6', providerBatchId: null, state: 'CREATING', polls: 0, failures: 0 };
  ship: Map<string, string>;
  constructor(ids = ['s1', 's2', 's3']) {
    this.ship = new Map(ids.map((id) => [id, 'NATIVE']));
  }
  messages = new Map<string, string>();
  leased = false;
  async queuedShares() {
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
  async shipments(): Promise<ClaimedPurchase[]> {
    return [...this.ship].filter(([, s]) => s === 'NATIVE').map(([id]) => claim(id));
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
  async giveBack(_id: string, ids: string[]) {
    const back = ids.filter((id) => this.ship.get(id) === 'NATIVE');
    for (const id of back) this.ship.set(id, 'QUEUED');
    return back.map((id) => ({ id, queueToken: 2 }));
  }
  async fail(_id: string, failures: Array<{ shipmentId: string; messages: Array<{ code: string }> }>) {
    for (const f of failures) {
      this.ship.set(f.shipmentId, 'FAILED');
      this.messages.set(f.shipmentId, f.messages[0].code);
    }
  }
  async stale() {
    return [];
  }
}

const claim = (id: string): ClaimedPurchase => ({
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
});

/** A provider batch that validates after one read (s2 invalid) and is purchased after one read. */
function fakePort(log: string[], options: { purchaseFails?: boolean } = {}) {
  let reads = 0;
  let purchased = false;
  const state = (): NativeBatchState => ({
    providerBatchId: 'pb1',
    status: purchased ? (reads++ > 0 ? 'PURCHASED' : 'PURCHASING') : reads++ > 0 ? 'INVALID' : 'VALIDATING',
    shipments: ['s1', 's2', 's3'].map((id) => ({
      reference: id,
      providerShipmentId: `p-${id}`,
      status: id === 's2' ? 'INVALID' : purchased && reads > 1 ? 'PURCHASED' : 'VALID',
      messages: id === 's2' ? [{ source: 'shippo', code: 'address_invalid', text: 'bad address' }] : [],
      providerLabelId: purchased ? `tx-${id}` : undefined,
    })),
  });
  const port: NativeBatchPort = {
    create: async ({ commands }) => (log.push(`create ${commands.map((c) => c.reference)}`), { providerBatchId: 'pb1' }),
    get: async () => state(),
    read: async () => ({ ...state(), more: false }),
    remove: async (_id, ids) => void log.push(`remove ${ids}`),
    purchase: async () => {
      log.push('purchase');
      if (options.purchaseFails) throw new ProviderUnavailableError('timeout', { possiblyCommitted: true });
      purchased = true;
      reads = 0;
    },
    label: async (s) => ({ providerLabelId: s.providerLabelId ?? '', reference: s.reference, trackingNumber: `9400${s.reference}`, carrier: 'usps', serviceLevelToken: 'usps_priority', cost: { amountMinor: 758, currency: 'usd' }, createdAt: new Date(0).toISOString() }) as PurchasedLabel,
  };
  return port;
}

/**
 * A purchased provider batch of `ids` read page by page (`pageSize` a page; `missing` on no
 * page): valid at the first read, purchased at the first read after purchase. Logs page reads.
 */
function pagedPort(log: string[], ids: string[], options: { pageSize: number; missing?: string[] }) {
  let purchased = false;
  const held = ids.filter((id) => !options.missing?.includes(id));
  const read = async (_id: string, page: number) => {
    log.push(`read ${page}`);
    const shipments = held.slice((page - 1) * options.pageSize, page * options.pageSize).map((id) => ({
      reference: id,
      providerShipmentId: `p-${id}`,
      status: purchased ? ('PURCHASED' as const) : ('VALID' as const),
      messages: [],
      providerLabelId: purchased ? `tx-${id}` : undefined,
    }));
    return { providerBatchId: 'pb1', status: purchased ? ('PURCHASED' as const) : ('VALID' as const), shipments, more: page * options.pageSize < held.length };
  };
  const port: NativeBatchPort = {
    create: async () => ({ providerBatchId: 'pb1' }),
    read,
    get: async () => {
      const pages = [];
      for (let p = 1; p === 1 || pages[pages.length - 1].more; p++) pages.push(await read('pb1', p));
      return { providerBatchId: 'pb1', status: pages[0].status, shipments: pages.flatMap((p) => p.shipments) };
    },
    remove: async () => undefined,
    purchase: async () => {
      log.push('purchase');
      purchased = true;
    },
    label: async (s) => ({ providerLabelId: s.providerLabelId ?? '', reference: s.reference, trackingNumber: `9400${s.reference}`, carrier: 'usps', serviceLevelToken: 'usps_priority', cost: { amountMinor: 758, currency: 'usd' }, createdAt: new Date(0).toISOString() }) as PurchasedLabel,
  };
  return port;
}

function setup(options: { purchaseFails?: boolean; ids?: string[]; port?: (log: string[]) => NativeBatchPort } = {}) {
  const log: string[] = [];
  const natives = new MemoryNatives(options.ids);
  const port = options.port ? options.port(log) : fakePort(log, options);
  const provider = { key: 'shippo', capabilities: { nativeBatch: { maxSize: 10_000 } }, nativeBatch: port } as unknown as LabelProvider;
  const accounts = { findByIdUnscoped: async () => ({ id: 'ca1', active: true }) as CarrierAccountRecord } as unknown as CarrierAccountRepository;
  const gateway = { forAccount: () => provider } as unknown as ProviderGateway;
  const purchases = { recordPurchasedMany: async (items: Array<{ claim: ClaimedPurchase }>) => items.forEach((i) => (log.push(`recorded ${i.claim.id}`), natives.ship.set(i.claim.id, 'PURCHASED'))) } as unknown as PurchaseRepository;
  const files = { store: async () => null } as unknown as PurchasedLabelFiles;
  let rung = 0;
  let rungWith: NativeBatchJobData | undefined;
  const queue = {
    add: async (_q: string, data: NativeBatchJobData) => {
      rung++;
      rungWith = data;
    },
    addBulk: async (_q: string, items: unknown[]) => void log.push(`single purchases ${items.length}`),
  } as unknown as QueuePort;
  const merges = { afterSettled: async () => undefined } as unknown as MergeLabelFilesUseCase;
  const useCase = new NativeBatchUseCase(natives as unknown as NativeBatchRepository, accounts, gateway, purchases, files, queue, merges);
  /** Runs steps as the queue would, until nothing is rung any more. */
  const runAll = async (limit = 30) => {
    for (let i = 0; i < limit; i++) {
      const before = rung;
      await useCase.execute('nb1', rungWith?.page);
      if (rung === before) return;
    }
  };
  return { useCase, natives, log, runAll };
}

describe('NativeBatchUseCase', () => {
  it('creates, validates (failing what the provider found invalid), purchases once and records every label', async () => {
    const { natives, log, runAll } = setup();
    await runAll();
    expect(natives.row.state).toBe('COLLECTED');
    expect(natives.row.providerBatchId).toBe('pb1');
    expect(log).toEqual(['create s1,s2,s3', 'remove p-s2', 'purchase', 'recorded s1', 'recorded s3']);
    expect(Object.fromEntries(natives.ship)).toEqual({ s1: 'PURCHASED', s2: 'FAILED', s3: 'PURCHASED' });
    expect(natives.messages.get('s2')).toBe('address_invalid');
  });

  it('never asks for the purchase twice: after a purchase that may have taken, it only reads', async () => {
    const { natives, log, useCase } = setup({ purchaseFails: true });
    for (let i = 0; i < 6; i++) await useCase.execute('nb1');
    expect(log.filter((l) => l === 'purchase')).toEqual(['purchase']);
    expect(natives.row.state).toBe('PURCHASE_REQUESTED');
  });

  it('resumes from the recorded state after a crash, without creating the provider batch again', async () => {
    const { natives, log, useCase, runAll } = setup();
    await useCase.execute('nb1');
    expect(natives.row.state).toBe('CREATED');
    // The worker died holding the lease: the lease runs out and another worker goes on.
    natives.leased = false;
    await runAll();
    expect(log.filter((l) => l.startsWith('create'))).toHaveLength(1);
    expect(natives.row.state).toBe('COLLECTED');
  });

  it('takes no step while another worker holds the lease', async () => {
    const { natives, log, useCase } = setup();
    natives.leased = true;
    await useCase.execute('nb1');
    expect(log).toEqual([]);
    expect(natives.row.state).toBe('CREATING');
  });

  it('collects a purchased provider batch reading each page once: 250 labels, 3 pages', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `s${i}`);
    const { natives, log, runAll } = setup({ ids, port: (l) => pagedPort(l, ids, { pageSize: 100 }) });
    await runAll(40);
    expect(natives.row.state).toBe('COLLECTED');
    expect([...natives.ship.values()].every((s) => s === 'PURCHASED')).toBe(true);
    const afterPurchase = log.slice(log.indexOf('purchase') + 1).filter((l) => l.startsWith('read'));
    // One status read (page 1), then pages 1, 2 and 3 once each.
    expect(afterPurchase).toEqual(['read 1', 'read 1', 'read 2', 'read 3']);
    expect(log.filter((l) => l.startsWith('recorded'))).toHaveLength(250);
  });

  it('gives a shipment on no page of the purchased provider batch back to single purchases, looked up first, after walking every page', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `s${i}`);
    const { natives, log, runAll } = setup({ ids, port: (l) => pagedPort(l, ids, { pageSize: 100, missing: ['s7'] }) });
    await runAll(40);
    expect(natives.row.state).toBe('COLLECTED');
    expect(natives.ship.get('s7')).toBe('QUEUED');
    expect(log).toContain('single purchases 1');
    expect([...natives.ship].filter(([id]) => id !== 's7').every(([, s]) => s === 'PURCHASED')).toBe(true);
  });

  it('a run that starts past pages still holding shipments (a stale page hint) walks again from page 1 and collects them', async () => {
    const ids = Array.from({ length: 250 }, (_, i) => `s${i}`);
    const { natives, log, useCase, runAll } = setup({ ids, port: (l) => pagedPort(l, ids, { pageSize: 100 }) });
    for (let i = 0; i < 20 && natives.row.state !== 'PURCHASED'; i++) await useCase.execute('nb1');
    expect(natives.row.state).toBe('PURCHASED');
    await useCase.execute('nb1', 3);
    expect(log.filter((l) => l.startsWith('recorded'))).toHaveLength(50);
    await runAll(40);
    expect(natives.row.state).toBe('COLLECTED');
    expect([...natives.ship.values()].every((s) => s === 'PURCHASED')).toBe(true);
    expect(log).not.toContain('single purchases 200');
  });

  it('waits out a rate limit without counting it as a failure, however often it comes', async () => {
    const ids = ['s1', 's2'];
    let limited = 12;
    const { natives, runAll } = setup({
      ids,
      port: (l) => {
        const port = pagedPort(l, ids, { pageSize: 100 });
        const read = port.read.bind(port);
        port.read = async (id, page) => {
          if (natives.row.state === 'PURCHASED' && limited-- > 0) throw new ProviderRateLimitedError('shippo: 429', { retryAfterMs: 3_000 });
          return read(id, page);
        };
        return port;
      },
    });
    await runAll(60);
    expect(natives.row.failures).toBe(0);
    expect(natives.row.state).toBe('COLLECTED');
    expect([...natives.ship.values()]).toEqual(['PURCHASED', 'PURCHASED']);
  });

  it('names its jobs with three parts, unique per ring (BullMQ refuses other ids with a colon)', () => {
    const a = nativeJobId('nb1', 'created');
    expect(a.split(':')).toHaveLength(3);
    expect(nativeJobId('nb1', 'created')).not.toBe(a);
  });
});
