import { type AppConfig, DEFAULT_WORKER_SETTINGS } from '@shipbatch/platform/config';
import type { EnqueueItem, EnqueueOptions, QueuePort } from '@shipbatch/platform/queue';
import { createTestDatabase, type TestDatabase } from '@shipbatch/platform/testing';
import { type Balance, type LabelProvider, type MoneyAmount, ProviderInsufficientFundsError } from '@shipbatch/providers/core';
import { MockProvider } from '@shipbatch/providers/mock';
import { aValidShipment, type ClosableSqlClient, createPgSqlClient } from '@shipbatch/providers/testing';
import type { ShipmentMessage } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { FileStorage } from '../label-files/file-storage';
import type { FundingPolicy } from '@shipbatch/shipping/domain';
import type { FundingEventRecord, FundingRepository, QueuedDemand } from '../funding/funding.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import type { ClaimedPurchase, PurchasedItem, PurchaseRepository } from './purchase.repository';
import { QUEUES } from '../tokens';
import { FundingCostEstimator } from '../funding/funding-cost.estimator';
import { FundingLocks } from '../funding/funding-lock';
import { HandleInsufficientFundsUseCase } from '../funding/handle-insufficient-funds.use-case';
import type { MergeLabelFilesUseCase } from '../label-files/merge-label-files.use-case';
import { PurchaseShipmentUseCase } from './purchase-shipment.use-case';
import { PurchasedLabelFiles } from '../label-files/purchased-label.files';

/**
 * The purchase path and funding together, many purchase jobs at once, against the mock
 * provider's ledger (a real prepaid balance on PostgreSQL: a purchase the balance does not
 * cover is refused with insufficient funds). The repositories are in memory, with the
 * semantics of the SQL ones (claims, requeues with queue tokens, one funding lock per account).
 */

const ACCOUNT = 'ca_funding';
const CONCURRENCY = 16;
const LABEL_CENTS = 500;

type State = 'QUEUED' | 'PURCHASING' | 'PURCHASED' | 'FAILED';
interface Row {
  id: string;
  state: State;
  failures: number;
  token: number;
  lookupRequired: boolean;
  message?: ShipmentMessage;
  costMinor?: number;
}

/** batch_shipments and labels, in memory. */
class MemoryPurchases implements PurchaseRepository {
  rows = new Map<string, Row>();

  add(ids: string[]): void {
    for (const id of ids) this.rows.set(id, { id, state: 'QUEUED', failures: 0, token: 1, lookupRequired: false });
  }
  count(state: State): number {
    return [...this.rows.values()].filter((r) => r.state === state).length;
  }
  async claimMany(ids: string[]): Promise<ClaimedPurchase[]> {
    const claimed: ClaimedPurchase[] = [];
    for (const id of ids) {
      const r = this.rows.get(id);
      if (r?.state !== 'QUEUED') continue;
      r.state = 'PURCHASING';
      claimed.push({
        id,
        tenantId: 't1',
        batchId: 'b1',
        shipmentId: null,
        purchase: {
          carrierAccountId: ACCOUNT,
          command: { carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: aValidShipment(), labelFileType: 'ZPLII' },
          warehouseId: null,
          externalShipmentId: null,
          isInternational: false,
        },
        lookupRequired: r.lookupRequired,
        failures: r.failures,
        queueToken: r.token,
        attempt: 1,
      });
    }
    return claimed;
  }
  async recordPurchasedMany(items: PurchasedItem[]): Promise<void> {
    for (const { claim, label } of items) {
      const r = this.rows.get(claim.id);
      if (r) Object.assign(r, { state: 'PURCHASED', costMinor: label.cost.amountMinor });
    }
  }
  async requeue(claim: ClaimedPurchase, opts: { countFailure: boolean; lookupRequired: boolean }): Promise<number> {
    const r = this.rows.get(claim.id);
    if (r?.state !== 'PURCHASING') return claim.queueToken;
    Object.assign(r, { state: 'QUEUED', failures: r.failures + (opts.countFailure ? 1 : 0), lookupRequired: opts.lookupRequired, token: r.token + 1 });
    return r.token;
  }
  async handBack(): Promise<never[]> {
    return [];
  }
  async recordFailed(claim: ClaimedPurchase, message: ShipmentMessage, lookupRequired: boolean): Promise<void> {
    const r = this.rows.get(claim.id);
    if (r?.state === 'PURCHASING') Object.assign(r, { state: 'FAILED', message, lookupRequired, failures: r.failures + 1 });
  }
}

/** The funding lock and funding_events, in memory; `lastPrices` from the labels bought so far (unless told there are none). */
class MemoryFunding implements FundingRepository {
  events: FundingEventRecord[] = [];
  priceHistory = true;
  private lock: { token: string } | null = null;
  private n = 0;

  constructor(private readonly purchases: MemoryPurchases) {}

  async tryLock(): Promise<string | null> {
    if (this.lock) return null;
    this.lock = { token: `t${++this.n}` };
    return this.lock.token;
  }
  async release(_id: string, token: string): Promise<void> {
    if (this.lock?.token === token) this.lock = null;
  }
  async topUpInProgress(): Promise<boolean> {
    return this.lock !== null;
  }
  async recordAndRelease(e: FundingEventRecord, token: string): Promise<void> {
    this.events.push({ ...e, createdAt: new Date() });
    await this.release(e.carrierAccountId, token);
  }
  async toppedUpToday(): Promise<number> {
    return this.events.filter((e) => e.status === 'succeeded').reduce((s, e) => s + e.amountMinor, 0);
  }
  async toppedUpRecently(_id: string, withinMs: number): Promise<boolean> {
    const since = Date.now() - withinMs;
    return this.events.some((e) => e.status === 'succeeded' && (e.createdAt?.getTime() ?? 0) > since);
  }
  async listEvents() {
    return { total: this.events.length, items: [...this.events].reverse() };
  }
  async lastPrices(_id: string, services: string[]): Promise<Map<string, number>> {
    const bought = [...this.purchases.rows.values()].find((r) => r.costMinor !== undefined);
    return new Map(this.priceHistory && bought?.costMinor !== undefined ? services.map((s) => [s, bought.costMinor ?? 0]) : []);
  }
  async queuedDemand(): Promise<QueuedDemand[]> {
    return [];
  }
  async openDemand(): Promise<QueuedDemand[]> {
    const open = [...this.purchases.rows.values()].filter((r) => r.state === 'QUEUED' || r.state === 'PURCHASING').length;
    return open === 0 ? [] : [{ carrierAccountId: ACCOUNT, serviceLevelToken: 'usps_priority', count: open, shapes: [] }];
  }
}

/** The queue as the drivers run it: `CONCURRENCY` jobs at a time, delays honoured, a job id still waiting added once. */
class RunningQueue implements QueuePort {
  private readonly pending = new Set<string>();
  private readonly ready: Array<() => Promise<void>> = [];
  private active = 0;
  private timers = 0;
  private idleWaiters: Array<() => void> = [];
  errors: unknown[] = [];

  constructor(private readonly run: (data: { batchShipmentId?: string; batchShipmentIds?: string[] }) => Promise<void>) {}

  async add<T extends object>(queue: string, data: T, options?: EnqueueOptions): Promise<void> {
    await this.addBulk(queue, [{ data, options }]);
  }
  async addBulk<T extends object>(queue: string, items: EnqueueItem<T>[]): Promise<void> {
    if (queue !== QUEUES.purchaseShipment) throw new Error(`unexpected queue ${queue}`);
    for (const { data, options } of items) {
      const jobId = options?.jobId;
      if (jobId && this.pending.has(jobId)) continue;
      if (jobId) this.pending.add(jobId);
      const job = async () => {
        if (jobId) this.pending.delete(jobId);
        await this.run(data as { batchShipmentId?: string; batchShipmentIds?: string[] });
      };
      this.timers++;
      setTimeout(() => {
        this.timers--;
        this.ready.push(job);
        this.pump();
      }, options?.delayMs ?? 0);
    }
  }
  async waiting(): Promise<number> {
    return this.ready.length + this.timers;
  }
  /** Resolves once no job is running, ready or delayed. */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.checkIdle();
    });
  }
  private pump(): void {
    while (this.active < CONCURRENCY && this.ready.length > 0) {
      const job = this.ready.shift() as () => Promise<void>;
      this.active++;
      void job()
        .catch((error: unknown) => this.errors.push(error))
        .finally(() => {
          this.active--;
          this.pump();
          this.checkIdle();
        });
    }
  }
  private checkIdle(): void {
    if (this.active > 0 || this.ready.length > 0 || this.timers > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}

/** Watches the provider's top-ups: how many ran at once, at most. */
function watchTopUps(provider: LabelProvider) {
  const stats = { inFlight: 0, maxInFlight: 0, calls: 0 };
  const addFunds = provider.addFunds?.bind(provider) as (amount: MoneyAmount) => Promise<Balance>;
  provider.addFunds = async (amount) => {
    stats.calls++;
    stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
    try {
      return await addFunds(amount);
    } finally {
      stats.inFlight--;
    }
  };
  return stats;
}

/** The provider answers insufficient funds without saying what the label costs (as some do). */
function withoutAmountNeeded(provider: MockProvider): void {
  const purchase = provider.purchaseLabel.bind(provider);
  provider.purchaseLabel = (command) =>
    purchase(command).catch((error: unknown) => {
      throw error instanceof ProviderInsufficientFundsError ? new ProviderInsufficientFundsError(error.message) : error;
    });
}

describe('PurchaseShipmentUseCase with funding, many purchase jobs at once (mock provider ledger)', () => {
  let database: TestDatabase;
  let sql: ClosableSqlClient;
  let run = 0;

  beforeAll(async () => {
    database = await createTestDatabase('shipbatch_test_topup');
    sql = createPgSqlClient(database.url, 10);
  });
  afterAll(async () => {
    await sql?.close();
    await database?.drop();
  });

  /** `n` shipments on one mock account starting at balance 0 (labels 5.00), bought `group` to a job, `CONCURRENCY` jobs at once. */
  async function purchaseAll(opts: { n: number; group: number; funding: Omit<FundingPolicy, 'enabled'>; amountNeeded: boolean; priceHistory: boolean }) {
    const providerAccount = `${ACCOUNT}_${++run}_${Date.now()}`;
    const provider = new MockProvider({ initial_balance: 0, label_cost: LABEL_CENTS / 100, latency_ms: 2 }, 'usps', sql.client, providerAccount);
    // No quotes: nothing prices the demand ahead but what the purchases themselves tell.
    (provider as { quote?: unknown }).quote = undefined;
    if (!opts.amountNeeded) withoutAmountNeeded(provider);
    const topUps = watchTopUps(provider);
    const account: CarrierAccountRecord = {
      id: ACCOUNT,
      tenantId: 't1',
      provider: 'mock',
      carrier: 'usps',
      accountId: providerAccount,
      parameters: {},
      active: true,
      test: true,
      metadata: '',
      funding: { enabled: true, ...opts.funding },
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    const purchases = new MemoryPurchases();
    const funding = new MemoryFunding(purchases);
    funding.priceHistory = opts.priceHistory;
    const accounts = { findByIdUnscoped: async () => account, findMany: async () => [account], findById: async () => account } as unknown as CarrierAccountRepository;
    const gateway = { forAccount: () => provider } as unknown as ProviderGateway;
    const files = { put: async () => undefined, urlFor: (k: string) => `http://files/${k}` } as unknown as FileStorage;
    const labelFiles = { afterSettled: async () => undefined } as unknown as MergeLabelFilesUseCase;
    const queue: RunningQueue = new RunningQueue((data): Promise<void> => useCase.execute(data.batchShipmentIds ?? data.batchShipmentId ?? []));
    const useCase: PurchaseShipmentUseCase = new PurchaseShipmentUseCase(purchases, accounts, gateway, new PurchasedLabelFiles(files), new HandleInsufficientFundsUseCase(funding, new FundingLocks(funding), new FundingCostEstimator(funding)), queue, labelFiles, { workers: DEFAULT_WORKER_SETTINGS } as AppConfig);

    const ids = Array.from({ length: opts.n }, (_, i) => `bs_${String(i).padStart(4, '0')}`);
    purchases.add(ids);
    const jobs: Array<EnqueueItem<{ batchShipmentIds: string[] }>> = [];
    for (let i = 0; i < ids.length; i += opts.group) {
      jobs.push({ data: { batchShipmentIds: ids.slice(i, i + opts.group) }, options: { jobId: `purchase-group:${ids[i]}` } });
    }
    await queue.addBulk(QUEUES.purchaseShipment, jobs);
    await queue.idle();
    expect(queue.errors).toEqual([]);
    const balance = (await provider.getBalance()).amount.amountMinor;
    return { purchases, funding, topUps, balance };
  }

  it('buys every shipment when the money a top-up brings runs out under parallel purchases: it tops up again, one at a time', async () => {
    // Each top-up pays for 3 labels; nothing tells the service what a label costs (no quotes,
    // no price history, an insufficient-funds answer without the amount), so it tops up again
    // and again while 16 jobs buy at once.
    const { purchases, funding, topUps, balance } = await purchaseAll({
      n: 60,
      group: 2,
      funding: { minBalanceMinor: 0, topUpAmountMinor: 3 * LABEL_CENTS, dailyCapMinor: 1_000_00 },
      amountNeeded: false,
      priceHistory: false,
    });
    const failed = [...purchases.rows.values()].filter((r) => r.state === 'FAILED').map((r) => r.message?.text);
    expect(failed).toEqual([]);
    expect(purchases.count('PURCHASED')).toBe(60);
    expect(topUps.maxInFlight).toBe(1);
    expect(funding.events.every((e) => e.status === 'succeeded' && e.reason === 'insufficient_funds')).toBe(true);
    expect(funding.events).toHaveLength(topUps.calls);
    const added = funding.events.reduce((s, e) => s + e.amountMinor, 0);
    expect(added).toBeLessThanOrEqual(1_000_00);
    expect(balance).toBe(added - 60 * LABEL_CENTS);
    // One top-up per time the money ran out: never two for one shortfall.
    expect(added).toBe(20 * 3 * LABEL_CENTS);
  });

  it('tops up for the whole queued demand of the account when the provider says what a label needs', async () => {
    const { purchases, funding, topUps, balance } = await purchaseAll({
      n: 60,
      group: 2,
      funding: { minBalanceMinor: 10_00, topUpAmountMinor: 3 * LABEL_CENTS, dailyCapMinor: 1_000_00 },
      amountNeeded: true,
      priceHistory: true,
    });
    expect(purchases.count('PURCHASED')).toBe(60);
    expect(topUps.maxInFlight).toBe(1);
    expect(funding.events.map((e) => `${e.reason} ${e.status}`)).toEqual(['insufficient_funds succeeded']);
    // 60 open shipments x 5.00 + the minimum balance of 10.00 - the balance of 0.00.
    expect(funding.events[0].amountMinor).toBe(60 * LABEL_CENTS + 10_00);
    expect(balance).toBe(10_00);
  });

  it('stops at the daily cap: the shipments the cap leaves unpaid fail with the balance and the amount needed', async () => {
    const { purchases, funding, topUps, balance } = await purchaseAll({
      n: 60,
      group: 2,
      funding: { minBalanceMinor: 0, topUpAmountMinor: 3 * LABEL_CENTS, dailyCapMinor: 30 * LABEL_CENTS },
      amountNeeded: true,
      priceHistory: false,
    });
    // One top-up of what the cap allowed (the 60 shipments wanted 300.00), then the refusal by the cap (of the usual 15.00), recorded once.
    expect(topUps.calls).toBe(1);
    expect(funding.events.map((e) => `${e.reason} ${e.status} ${e.amountMinor}`)).toEqual(['insufficient_funds succeeded 15000', 'insufficient_funds failed 1500']);
    expect(funding.events[1].message).toMatch(/^the daily cap of 150\.00 usd for automatic top-ups is reached/);
    expect(purchases.count('PURCHASED')).toBe(30);
    expect(purchases.count('FAILED')).toBe(30);
    expect(balance).toBe(0);
    for (const r of [...purchases.rows.values()].filter((row) => row.state === 'FAILED')) {
      expect(r.message).toMatchObject({ code: 'insufficient_funds' });
      expect(r.message?.text).toMatch(/^insufficient funds: the balance is 0\.00 usd and this label needs 5\.00 usd; the daily cap of 150\.00 usd/);
    }
  });
});
