import {
  type Balance,
  type LabelProvider,
  type MoneyAmount,
  type ProviderCapabilities,
  ProviderUnavailableError,
  ProviderValidationError,
} from '@shipbatch/providers/core';
import { NotFoundError, UnavailableError } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { FundingPolicy } from '@shipbatch/shipping/domain';
import type { FundingEventRecord, FundingRepository, QueuedDemand } from './funding.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import { AddFundsUseCase } from './add-funds.use-case';
import { FundAheadUseCase } from './fund-ahead.use-case';
import { FundingCostEstimator } from './funding-cost.estimator';
import { FundingLocks } from './funding-lock';
import { NO_SHIPPING_METRICS } from '../common/shipping-metrics.port';
import { HandleInsufficientFundsUseCase, type Shortfall } from './handle-insufficient-funds.use-case';
import { ListFundingEventsUseCase } from './list-funding-events.use-case';

/** An in-memory FundingRepository: one lock per account, events in insertion order. */
class MemoryFunding implements FundingRepository {
  locks = new Map<string, string>();
  events: FundingEventRecord[] = [];
  prices = new Map<string, number>();
  demand: QueuedDemand[] = [];
  open: QueuedDemand[] = [];
  private n = 0;

  async tryLock(id: string): Promise<string | null> {
    if (this.locks.has(id)) return null;
    const token = `t${++this.n}`;
    this.locks.set(id, token);
    return token;
  }
  async topUpInProgress(id: string): Promise<boolean> {
    return this.locks.has(id);
  }
  async release(id: string, token: string): Promise<void> {
    if (this.locks.get(id) === token) this.locks.delete(id);
  }
  async recordAndRelease(e: FundingEventRecord, token: string): Promise<void> {
    this.events.push({ ...e, createdAt: new Date() });
    await this.release(e.carrierAccountId, token);
  }
  async toppedUpToday(id: string): Promise<number> {
    return this.events.filter((e) => e.carrierAccountId === id && e.status === 'succeeded').reduce((s, e) => s + e.amountMinor, 0);
  }
  async toppedUpRecently(id: string, withinMs: number): Promise<boolean> {
    const since = Date.now() - withinMs;
    return this.events.some((e) => e.carrierAccountId === id && e.status === 'succeeded' && (e.createdAt?.getTime() ?? 0) > since);
  }
  async listEvents(tenantId: string, id: string, offset: number, limit: number) {
    const all = this.events.filter((e) => e.tenantId === tenantId && e.carrierAccountId === id).reverse();
    return { total: all.length, items: all.slice(offset, offset + limit) };
  }
  async lastPrices(_id: string, services: string[]): Promise<Map<string, number>> {
    return new Map(services.filter((s) => this.prices.has(s)).map((s) => [s, this.prices.get(s) ?? 0]));
  }
  async queuedDemand(): Promise<QueuedDemand[]> {
    return this.demand;
  }
  async openDemand(): Promise<QueuedDemand[]> {
    return this.open;
  }
}

/** A provider with a prepaid balance, whose calls are logged and can be made to fail. */
function fakeProvider(opts: { balance: number; rates?: boolean; quote?: number | Record<string, number>; minTopUpMinor?: number; addFunds?: boolean }) {
  const state = {
    balance: opts.balance,
    calls: [] as string[],
    getBalanceError: null as Error | null,
    addFundsError: null as Error | null,
  };
  const capabilities: ProviderCapabilities = {
    rates: opts.rates ?? false,
    addressValidation: false,
    purchaseDeduplication: 'lookup',
    labelFileTypes: ['PDF_4x6'],
    funding: { prepaidBalance: true, addFunds: opts.addFunds ?? true, minTopUpMinor: opts.minTopUpMinor },
    serviceLevels: {},
    shipmentExtras: {},
  };
  const provider: LabelProvider = {
    key: 'fake',
    capabilities,
    validateShipment: async () => [],
    purchaseLabel: () => Promise.reject(new Error('not here')),
    findPurchase: async () => null,
    quote: async (command) => {
      state.calls.push(`quote ${command.serviceLevelToken}`);
      const price = typeof opts.quote === 'number' ? opts.quote : opts.quote?.[command.serviceLevelToken];
      if (price === undefined) throw new ProviderUnavailableError('no quote');
      return { amountMinor: price, currency: 'usd' };
    },
    getBalance: async (): Promise<Balance> => {
      state.calls.push('getBalance');
      if (state.getBalanceError) throw state.getBalanceError;
      return { amount: { amountMinor: state.balance, currency: 'usd' } };
    },
    addFunds: async (amount: MoneyAmount): Promise<Balance> => {
      state.calls.push(`addFunds ${amount.amountMinor}`);
      if (state.addFundsError) throw state.addFundsError;
      state.balance += amount.amountMinor;
      return { amount: { amountMinor: state.balance, currency: 'usd' } };
    },
  };
  return { provider, state };
}

const policy = (over: Partial<FundingPolicy> = {}): FundingPolicy => ({
  enabled: true,
  minBalanceMinor: 1_000,
  topUpAmountMinor: 5_000,
  dailyCapMinor: 20_000,
  ...over,
});

const account = (funding: FundingPolicy, id = 'ca1'): CarrierAccountRecord => ({
  id,
  tenantId: 't1',
  provider: 'fake',
  carrier: 'usps',
  accountId: 'acct',
  parameters: {},
  active: true,
  test: false,
  metadata: '',
  funding,
  createdAt: new Date(),
  updatedAt: new Date(),
});

function setup(funding: FundingPolicy, providerOpts: Parameters<typeof fakeProvider>[0] = { balance: 300 }) {
  const repo = new MemoryFunding();
  const acct = account(funding);
  const { provider, state } = fakeProvider(providerOpts);
  const accounts = {
    findById: async (tenantId: string, id: string) => (tenantId === acct.tenantId && id === acct.id ? acct : null),
    findMany: async (tenantId: string, ids: string[]) => (tenantId === acct.tenantId && ids.includes(acct.id) ? [acct] : []),
  } as unknown as CarrierAccountRepository;
  const gateway = { forAccount: () => provider } as unknown as ProviderGateway;
  const counted: string[] = [];
  const metrics = { ...NO_SHIPPING_METRICS, fundingEvent: (p: string, r: string, s: string) => void counted.push(`${p} ${r} ${s}`) };
  const locks = new FundingLocks(repo, metrics);
  const estimator = new FundingCostEstimator(repo);
  const service = {
    insufficient: new HandleInsufficientFundsUseCase(repo, locks, estimator),
    ahead: new FundAheadUseCase(repo, accounts, gateway, locks, estimator),
    addFunds: new AddFundsUseCase(accounts, gateway, locks),
    events: new ListFundingEventsUseCase(repo, accounts),
  };
  return { service, repo, acct, provider, state, counted };
}

const usd = (amountMinor: number): MoneyAmount => ({ amountMinor, currency: 'usd' });

/** A usps_priority purchase refused just now; `needed` in minor units, null when the provider did not say. */
const refused = (needed: number | null, sentAt = Date.now()): Shortfall => ({
  needed: needed === null ? null : usd(needed),
  serviceLevelToken: 'usps_priority',
  sentAt,
});

const command = (service: string) => ({
  carrierAccountId: 'ca1',
  command: { carrier: 'usps', serviceLevelToken: service, shipment: { addressFrom: {}, addressTo: {}, parcels: [] }, labelFileType: 'PDF_4x6' as const },
  warehouseId: null,
  externalShipmentId: null,
  isInternational: false,
});

/** `count` queued shipments of one service on ca1, all of one shape. */
const demand = (service: string, count: number): QueuedDemand => ({
  carrierAccountId: 'ca1',
  serviceLevelToken: service,
  count,
  shapes: [{ count, sample: command(service) }],
});

describe('funding use cases', () => {
  describe('HandleInsufficientFundsUseCase', () => {
    it('fails with the balance and the amount needed when funding is off, topping nothing up', async () => {
      const { service, acct, repo, state } = setup(policy({ enabled: false }));
      const decision = await service.insufficient.handle(acct, setup(policy()).provider, refused(758));
      expect(decision).toEqual({
        action: 'fail',
        code: 'insufficient_funds',
        message:
          'insufficient funds: the balance is 3.00 usd and this label needs 7.58 usd; automatic funding is off for carrier account ca1 ' +
          '(POST /carrier_accounts/ca1/add_funds, then purchase the batch again)',
      });
      expect(repo.events).toEqual([]);
      expect(state.calls).toEqual([]);
    });

    it('still fails clearly when the balance cannot be read', async () => {
      const { service, acct, provider, state } = setup(policy({ enabled: false }));
      state.getBalanceError = new ProviderUnavailableError('down');
      const decision = await service.insufficient.handle(acct, provider, refused(null));
      expect(decision).toMatchObject({ action: 'fail', code: 'insufficient_funds' });
      expect(decision.action === 'fail' && decision.message).toMatch(/^insufficient funds: the balance could not be read and .*automatic funding is off/);
    });

    it('tops up max(top_up_amount, needed + min_balance - balance) under the lock, records it, and retries', async () => {
      const { service, acct, provider, repo, state } = setup(policy({ topUpAmountMinor: 500 }), { balance: 300 });
      expect(await service.insufficient.handle(acct, provider, refused(758))).toEqual({ action: 'retry', toppedUp: true });
      // 758 + 1000 - 300 = 1458 > 500
      expect(state.calls).toEqual(['getBalance', 'addFunds 1458']);
      expect(repo.events).toEqual([
        expect.objectContaining({
          reason: 'insufficient_funds',
          status: 'succeeded',
          amountMinor: 1458,
          currency: 'usd',
          balanceBeforeMinor: 300,
          balanceAfterMinor: 1758,
        }),
      ]);
      expect(repo.locks.size).toBe(0);
    });

    it('counts each funding event it records by provider, reason and status (SHIPPING_METRICS)', async () => {
      const { service, acct, provider, state, counted } = setup(policy({ topUpAmountMinor: 500 }), { balance: 300 });
      await service.insufficient.handle(acct, provider, refused(758));
      state.addFundsError = new ProviderUnavailableError('down');
      await service.insufficient.handle(acct, provider, refused(5_000));
      expect(counted).toEqual(['fake insufficient_funds succeeded', 'fake insufficient_funds failed']);
    });

    it('tops up at least the provider minimum, and the usual amount when it is more', async () => {
      const min = setup(policy({ topUpAmountMinor: 500, minBalanceMinor: 0 }), { balance: 300, minTopUpMinor: 2_000 });
      await min.service.insufficient.handle(min.acct, min.provider, refused(758));
      expect(min.state.calls).toEqual(['getBalance', 'addFunds 2000']);
      const usual = setup(policy(), { balance: 300 });
      await usual.service.insufficient.handle(usual.acct, usual.provider, refused(758));
      expect(usual.state.calls).toEqual(['getBalance', 'addFunds 5000']);
    });

    it('waits while another worker holds the lock, and retries without a top-up when someone else covered it', async () => {
      const { service, acct, provider, repo, state } = setup(policy(), { balance: 300 });
      repo.locks.set('ca1', 'someone');
      expect(await service.insufficient.handle(acct, provider, refused(758))).toEqual({ action: 'wait' });
      expect(state.calls).toEqual([]);
      repo.locks.clear();
      state.balance = 10_000;
      // The balance covers the label now, though no top-up was recorded: buy again, nothing topped up.
      expect(await service.insufficient.handle(acct, provider, refused(758))).toEqual({ action: 'retry', toppedUp: false });
      expect(state.calls).toEqual(['getBalance']);
      expect(repo.events).toEqual([]);
      expect(repo.locks.size).toBe(0);
    });

    it('waits for the top-up in progress to end (awaitTopUp), and answers false when it outlasts the wait', async () => {
      const { service, repo } = setup(policy());
      expect(await service.insufficient.awaitTopUp('ca1', 1_000)).toBe(true);
      repo.locks.set('ca1', 'someone');
      setTimeout(() => repo.locks.clear(), 300);
      expect(await service.insufficient.awaitTopUp('ca1', 5_000)).toBe(true);
      repo.locks.set('ca1', 'someone');
      expect(await service.insufficient.awaitTopUp('ca1', 300)).toBe(false);
    });

    it('without the amount needed, tops up unless a top-up came after the refused purchase was sent: one top-up per shortfall', async () => {
      const { service, acct, provider, repo, state } = setup(policy({ topUpAmountMinor: 500, minBalanceMinor: 0 }), { balance: 300 });
      const first = refused(null, Date.now() - 50);
      const second = refused(null, Date.now() - 50);
      expect(await service.insufficient.handle(acct, provider, first)).toEqual({ action: 'retry', toppedUp: true });
      // Refused before that top-up: covered by it.
      expect(await service.insufficient.handle(acct, provider, second)).toEqual({ action: 'retry', toppedUp: true });
      expect(state.calls).toEqual(['getBalance', 'addFunds 500', 'getBalance']);
      // Refused after it (the money ran out again): a new top-up.
      await new Promise((resolve) => setTimeout(resolve, 5));
      expect(await service.insufficient.handle(acct, provider, refused(null))).toEqual({ action: 'retry', toppedUp: true });
      expect(state.calls.slice(3)).toEqual(['getBalance', 'addFunds 500']);
      expect(repo.events.map((e) => `${e.reason} ${e.status} ${e.amountMinor}`)).toEqual(['insufficient_funds succeeded 500', 'insufficient_funds succeeded 500']);
    });

    it("tops up for the account's open shipments: the label's service at the amount needed, the others as the estimator prices them", async () => {
      const { service, acct, provider, repo, state } = setup(policy({ topUpAmountMinor: 500, minBalanceMinor: 1_000, dailyCapMinor: 100_000 }), { balance: 300 });
      repo.prices.set('usps_first_class', 400);
      repo.open = [demand('usps_priority', 20), demand('usps_first_class', 5), demand('usps_priority_express', 2)];
      expect(await service.insufficient.handle(acct, provider, refused(758))).toEqual({ action: 'retry', toppedUp: true });
      // 20 x 758 + 5 x 400 (+ 2 unpriced) + 1000 - 300 = 17,860
      expect(state.calls).toEqual(['getBalance', 'addFunds 17860']);
      expect(repo.events[0].message).toBe(
        "topped up 178.60 usd: a label needed 7.58 usd and the balance was 3.00 usd; the account's 27 open shipments are estimated at 171.60 usd (2 of its 27 shipments could not be priced)",
      );

      // The cap allows less than the demand but enough for the label: what it allows.
      const capped = setup(policy({ topUpAmountMinor: 500, minBalanceMinor: 0, dailyCapMinor: 2_000 }), { balance: 300 });
      capped.repo.open = [demand('usps_priority', 20)];
      expect(await capped.service.insufficient.handle(capped.acct, capped.provider, refused(758))).toEqual({ action: 'retry', toppedUp: true });
      expect(capped.state.calls).toEqual(['getBalance', 'addFunds 2000']);

      // The open demand cannot be read: the top-up is sized without it.
      const broken = setup(policy({ topUpAmountMinor: 500, minBalanceMinor: 0 }), { balance: 300 });
      broken.repo.openDemand = () => Promise.reject(new Error('database gone'));
      expect(await broken.service.insufficient.handle(broken.acct, broken.provider, refused(758))).toEqual({ action: 'retry', toppedUp: true });
      expect(broken.state.calls).toEqual(['getBalance', 'addFunds 500']);
    });

    it('never passes the daily cap: a smaller top-up that still pays for the label, else a failed event and a clear failure', async () => {
      const { service, acct, provider, repo, state } = setup(policy({ topUpAmountMinor: 5_000, dailyCapMinor: 6_000 }), { balance: 300 });
      expect(await service.insufficient.handle(acct, provider, refused(758))).toEqual({ action: 'retry', toppedUp: true });
      expect(state.calls).toEqual(['getBalance', 'addFunds 5000']);
      state.balance = 100;
      // 1000 left today: enough for the label (658), so it tops up 1000 instead of 5000.
      expect(await service.insufficient.handle(acct, provider, refused(758))).toEqual({ action: 'retry', toppedUp: true });
      expect(state.calls.at(-1)).toBe('addFunds 1000');
      state.balance = 100;
      const decision = await service.insufficient.handle(acct, provider, refused(758));
      expect(decision).toMatchObject({ action: 'fail', code: 'insufficient_funds' });
      expect(decision.action === 'fail' && decision.message).toMatch(
        /^insufficient funds: the balance is 1\.00 usd and this label needs 7\.58 usd; the daily cap of 60\.00 usd for automatic top-ups is reached .*add_funds/,
      );
      expect(repo.events.map((e) => `${e.status} ${e.amountMinor}`)).toEqual(['succeeded 5000', 'succeeded 1000', 'failed 5000']);
      expect(repo.events[2].message).toMatch(/daily cap .* reached/);
      // The next shipments refused are told the same, without another failed event each.
      expect(await service.insufficient.handle(acct, provider, refused(758))).toMatchObject({ action: 'fail', code: 'insufficient_funds' });
      expect(repo.events).toHaveLength(3);
      expect(repo.locks.size).toBe(0);
    });

    it('records a failed top-up and answers later (with the failure to record once tries run out) when the provider error is retryable, fails otherwise', async () => {
      const { service, acct, provider, repo, state } = setup(policy(), { balance: 300 });
      state.addFundsError = new ProviderUnavailableError('provider down', { retryAfterMs: 1234 });
      expect(await service.insufficient.handle(acct, provider, refused(758))).toEqual({
        action: 'later',
        delayMs: 1234,
        message:
          'insufficient funds: the balance is 3.00 usd and this label needs 7.58 usd; the automatic top-up of 50.00 usd failed: provider down ' +
          '(POST /carrier_accounts/ca1/add_funds, then purchase the batch again)',
      });
      state.addFundsError = new ProviderValidationError('card declined');
      const decision = await service.insufficient.handle(acct, provider, refused(758));
      expect(decision).toMatchObject({ action: 'fail', code: 'insufficient_funds' });
      expect(decision.action === 'fail' && decision.message).toMatch(/the automatic top-up of 50\.00 usd failed: card declined/);
      expect(repo.events.map((e) => [e.status, e.message])).toEqual([
        ['failed', 'the top-up of 50.00 usd failed: provider down'],
        ['failed', 'the top-up of 50.00 usd failed: card declined'],
      ]);
      expect(repo.locks.size).toBe(0);
    });

    it('releases the lock when something unexpected throws', async () => {
      const { service, acct, provider, repo, state } = setup(policy(), { balance: 300 });
      state.addFundsError = new Error('bug');
      await expect(service.insufficient.handle(acct, provider, refused(758))).rejects.toThrow('bug');
      expect(repo.locks.size).toBe(0);
    });
  });

  describe('FundAheadUseCase', () => {
    it('tops up ahead from quotes, and last prices where a quote fails, when the balance would fall below min_balance', async () => {
      const { service, repo, state } = setup(policy({ topUpAmountMinor: 1_000 }), { balance: 2_000, rates: true, quote: { usps_first_class: 450 } });
      repo.prices.set('usps_priority', 758);
      repo.prices.set('usps_first_class', 400);
      repo.demand = [demand('usps_priority', 10), demand('usps_first_class', 4)];
      await service.ahead.run('t1', 'b1');
      // usps_priority's quote fails: its last price; usps_first_class's quote wins over its last price.
      // estimate 10 x 758 + 4 x 450 = 9380; 9380 + 1000 - 2000 = 8380 > 1000
      expect(state.calls).toEqual(['quote usps_priority', 'quote usps_first_class', 'getBalance', 'addFunds 8380']);
      expect(repo.events).toEqual([
        expect.objectContaining({ reason: 'pre_purchase', status: 'succeeded', amountMinor: 8380, balanceBeforeMinor: 2000, balanceAfterMinor: 10380 }),
      ]);
      expect(repo.events[0].message).toMatch(/batch b1 is estimated at 93\.80 usd/);
      expect(repo.locks.size).toBe(0);
    });

    it('tops up ahead when the balance is under min_balance, though nothing could price the batch', async () => {
      const { service, repo, state } = setup(policy({ minBalanceMinor: 5_000, topUpAmountMinor: 10_000 }), { balance: 2_000, rates: false });
      repo.demand = [demand('usps_priority', 10)];
      await service.ahead.run('t1', 'b1');
      // Unknown estimate (no quote, no label bought yet): 20.00 < 50.00 is reason enough; max(100.00, 0 + 50.00 - 20.00).
      expect(state.calls).toEqual(['getBalance', 'addFunds 10000']);
      expect(repo.events).toEqual([
        expect.objectContaining({ reason: 'pre_purchase', status: 'succeeded', amountMinor: 10_000, balanceBeforeMinor: 2_000, balanceAfterMinor: 12_000 }),
      ]);
      expect(repo.events[0].message).toBe(
        'topped up 100.00 usd ahead: batch b1 is estimated at 0.00 usd (10 of its 10 shipments could not be priced), the balance is 20.00 usd and the minimum balance 50.00 usd',
      );
      expect(repo.locks.size).toBe(0);
    });

    it('does nothing when the balance covers the estimate, funding is off, or no price is known', async () => {
      const covered = setup(policy(), { balance: 100_000 });
      covered.repo.prices.set('usps_priority', 758);
      covered.repo.demand = [demand('usps_priority', 10)];
      await covered.service.ahead.run('t1', 'b1');
      expect(covered.state.calls).toEqual(['getBalance']);
      expect(covered.repo.events).toEqual([]);

      const off = setup(policy({ enabled: false }), { balance: 0 });
      off.repo.prices.set('usps_priority', 758);
      off.repo.demand = covered.repo.demand;
      await off.service.ahead.run('t1', 'b1');
      expect(off.state.calls).toEqual([]);

      // Nothing prices the batch and the balance is at min_balance: nothing to go on, nothing topped up.
      const unknown = setup(policy({ minBalanceMinor: 1_000 }), { balance: 1_000, rates: false });
      unknown.repo.demand = covered.repo.demand;
      await unknown.service.ahead.run('t1', 'b1');
      expect(unknown.state.calls).toEqual(['getBalance']);
      expect(unknown.repo.events).toEqual([]);
      expect(unknown.repo.locks.size).toBe(0);
    });

    it('waits for another top-up of the account to finish and reads the balance it left: one top-up for one shortfall', async () => {
      const { service, repo, state } = setup(policy({ minBalanceMinor: 5_000, topUpAmountMinor: 10_000 }), { balance: 2_000 });
      repo.demand = [demand('usps_priority', 10)];
      repo.locks.set('ca1', 'another worker');
      // The other worker tops the account up and releases its lock while this one waits.
      setTimeout(() => {
        state.balance += 10_000;
        repo.locks.delete('ca1');
      }, 300);
      await service.ahead.run('t1', 'b1');
      expect(state.calls).toEqual(['getBalance']);
      expect(repo.events).toEqual([]);
      expect(repo.locks.size).toBe(0);
    });

    it('tops up only what the daily cap allows, and records a failed event when it allows nothing', async () => {
      const { service, repo, state } = setup(policy({ topUpAmountMinor: 1_000, dailyCapMinor: 3_000 }), { balance: 0 });
      repo.prices.set('usps_priority', 758);
      repo.demand = [demand('usps_priority', 10)];
      await service.ahead.run('t1', 'b1');
      expect(state.calls).toEqual(['getBalance', 'addFunds 3000']);
      expect(repo.events[0].message).toMatch(/limited by the daily cap of 30\.00 usd/);
      await service.ahead.run('t1', 'b2');
      expect(repo.events.map((e) => `${e.status} ${e.reason}`)).toEqual(['succeeded pre_purchase', 'failed pre_purchase']);
      expect(repo.events[1].message).toMatch(/^the daily cap of 30\.00 usd for automatic top-ups is reached/);
      expect(repo.locks.size).toBe(0);
    });

    it('never throws: a provider failure is recorded, a repository failure is logged', async () => {
      const { service, repo, state } = setup(policy(), { balance: 0 });
      repo.prices.set('usps_priority', 758);
      repo.demand = [demand('usps_priority', 1)];
      state.addFundsError = new ProviderUnavailableError('down');
      await expect(service.ahead.run('t1', 'b1')).resolves.toBeUndefined();
      expect(repo.events.map((e) => e.status)).toEqual(['failed']);
      state.addFundsError = new Error('bug');
      await expect(service.ahead.run('t1', 'b1')).resolves.toBeUndefined();
      expect(repo.events.map((e) => e.status)).toEqual(['failed', 'failed']);
      repo.queuedDemand = () => Promise.reject(new Error('database gone'));
      await expect(service.ahead.run('t1', 'b1')).resolves.toBeUndefined();
      expect(repo.locks.size).toBe(0);
    });
  });

  describe('AddFundsUseCase and ListFundingEventsUseCase', () => {
    it('adds funds, records a manual event counted toward the cap (never refused by it), and lists newest first', async () => {
      const { service, repo } = setup(policy({ dailyCapMinor: 5_000 }), { balance: 300 });
      expect(await service.addFunds.run('t1', 'ca1', usd(5_000))).toEqual({ amount: usd(5_300) });
      expect(await service.addFunds.run('t1', 'ca1', usd(2_500))).toEqual({ amount: usd(7_800) });
      expect(await repo.toppedUpToday('ca1')).toBe(7_500);
      const page = await service.events.run('t1', 'ca1', 1, 1);
      expect(page.total).toBe(2);
      expect(page.items).toEqual([
        expect.objectContaining({ reason: 'manual', status: 'succeeded', amountMinor: 2_500, balanceBeforeMinor: 5_300, balanceAfterMinor: 7_800 }),
      ]);
      expect((await service.events.run('t1', 'ca1', 2, 1)).items[0].amountMinor).toBe(5_000);
    });

    it('answers 404 for another tenant, and maps provider refusals after recording them', async () => {
      const { service, repo, state } = setup(policy());
      await expect(service.addFunds.run('t2', 'ca1', usd(100))).rejects.toBeInstanceOf(NotFoundError);
      await expect(service.events.run('t2', 'ca1', 1, 25)).rejects.toBeInstanceOf(NotFoundError);
      state.addFundsError = new ProviderUnavailableError('provider down');
      const unreachable = await service.addFunds.run('t1', 'ca1', usd(100)).catch((e: unknown) => e);
      expect(unreachable).toBeInstanceOf(UnavailableError);
      expect(unreachable).toMatchObject({ message: 'fake: provider down', code: 'provider_unavailable' });
      expect(repo.events).toEqual([expect.objectContaining({ reason: 'manual', status: 'failed', message: 'adding 1.00 usd failed: provider down' })]);
      expect(repo.locks.size).toBe(0);
    });

    it('refuses providers that cannot add funds', async () => {
      const { service } = setup(policy(), { balance: 0, addFunds: false });
      await expect(service.addFunds.run('t1', 'ca1', usd(100))).rejects.toMatchObject({ code: 'add_funds_not_supported' });
    });

    it("refuses a currency other than the balance's as the request's fault, recording nothing", async () => {
      const { service, repo } = setup(policy(), { balance: 300 });
      await expect(service.addFunds.run('t1', 'ca1', { amountMinor: 100, currency: 'nan' })).rejects.toMatchObject({ kind: 'invalid_input', field: 'currency' });
      expect(repo.events).toEqual([]);
      expect(repo.locks.size).toBe(0);
    });
  });
});
