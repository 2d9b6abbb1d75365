import {
  type LabelProvider,
  type PurchasedLabel,
  ProviderInsufficientFundsError,
  ProviderOutcomeUnknownError,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  ProviderValidationError,
} from '@shipbatch/providers/core';
import { type AppConfig, DEFAULT_WORKER_SETTINGS } from '@shipbatch/platform/config';
import { type QueuePort, ShutdownState } from '@shipbatch/platform/queue';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import type { ShippingMetrics } from '../common/shipping-metrics.port';
import type { ClaimedPurchase, PurchaseRepository } from './purchase.repository';
import type { FileStorage } from '../label-files/file-storage';
import type { HandleInsufficientFundsUseCase, InsufficientFundsDecision } from '../funding/handle-insufficient-funds.use-case';
import type { MergeLabelFilesUseCase } from '../label-files/merge-label-files.use-case';
import { PurchaseShipmentUseCase } from './purchase-shipment.use-case';
import { PurchasedLabelFiles } from '../label-files/purchased-label.files';
import { ExpressFirst } from '../common/express-first';

const label: PurchasedLabel = {
  providerLabelId: 'p1',
  reference: 'bs1',
  trackingNumber: '9400000',
  carrier: 'usps',
  serviceLevelToken: 'usps_priority',
  cost: { amountMinor: 758, currency: 'usd' },
  createdAt: new Date(0).toISOString(),
};

function setup(opts: {
  lookupRequired?: boolean;
  dedup?: 'lookup' | 'none';
  purchase?: (call: number, reference: string) => Promise<PurchasedLabel>;
  /** The carrier account of each batch shipment; default ca1 for all. */
  accountOf?: (id: string) => string;
  found?: PurchasedLabel | null;
  lookupError?: Error;
  failures?: number;
  /** Funding's answers to insufficient funds, in turn (the last one repeats). */
  funding?: InsufficientFundsDecision | InsufficientFundsDecision[];
  /** Whether the top-up in progress ends within the wait. */
  topUpEnds?: boolean;
  download?: (url: string) => Promise<{ contentType: string; extension: string; content: Buffer }>;
  invalidAccount?: boolean;
  /** The configured purchase lease; default DEFAULT_WORKER_SETTINGS'. */
  purchaseLeaseMs?: number;
  /** The process's shutdown state (SIGTERM); none by default. */
  shutdown?: ShutdownState;
  /** The process's ExpressFirst; none by default. */
  expressFirst?: ExpressFirst;
}) {
  const log: string[] = [];
  const failed: Array<{ code: string; text: string }> = [];
  const claimOf = (id: string): ClaimedPurchase => ({
    id,
    tenantId: 't1',
    batchId: 'b1',
    shipmentId: 's1',
    purchase: {
      carrierAccountId: opts.accountOf?.(id) ?? 'ca1',
      command: { carrier: 'usps', serviceLevelToken: 'usps_priority', shipment: { addressFrom: {}, addressTo: {}, parcels: [] }, labelFileType: 'PDF_4x6' },
      warehouseId: null,
      externalShipmentId: null,
      isInternational: false,
    },
    lookupRequired: opts.lookupRequired ?? false,
    failures: opts.failures ?? 0,
    queueToken: 1,
    attempt: 1,
  });
  let calls = 0;
  const leases: number[] = [];
  const purchases: PurchaseRepository = {
    claimMany: async (ids, leaseMs) => (leases.push(leaseMs), ids.map(claimOf)),
    recordPurchasedMany: async (items) =>
      void (items.length > 0 && log.push(`recorded ${items.map((i) => `${i.claim.id}=${i.label.trackingNumber}`).join(',')}`)),
    requeue: async (c, o) => (log.push(`requeue ${c.id} failure=${o.countFailure} lookup=${o.lookupRequired}`), 2),
    recordFailed: async (_c, m, lookup) => void (failed.push(m), log.push(`failed ${m.code} lookup=${lookup}`)),
    handBack: async (claims) => (log.push(`hand back ${claims.map((c) => c.id)}`), claims.map((c) => ({ id: c.id, queueToken: 2 }))),
  };
  const provider: LabelProvider = {
    key: 'fake',
    capabilities: { rates: false, addressValidation: false, purchaseDeduplication: opts.dedup ?? 'lookup', labelFileTypes: ['PDF_4x6'], funding: { prepaidBalance: false, addFunds: false }, serviceLevels: {}, shipmentExtras: {} },
    validateShipment: async () => [],
    purchaseLabel: async (command) => (log.push(`purchase ${command.reference}`), (opts.purchase ?? (async () => label))(++calls, command.reference)),
    findPurchase: async () => {
      log.push('lookup');
      if (opts.lookupError) throw opts.lookupError;
      return opts.found ?? null;
    },
    ...(opts.download ? { downloadDocument: opts.download } : {}),
  };
  const account = { id: 'ca1', provider: 'fake', active: true } as CarrierAccountRecord;
  const accounts = { findByIdUnscoped: async () => account } as unknown as CarrierAccountRepository;
  const gateway = {
    forAccount: () => {
      if (opts.invalidAccount) throw new Error('carrier account ca1 (fake) has invalid parameters: parameters.api_key: must be a string');
      return provider;
    },
  } as unknown as ProviderGateway;
  const decisions = [opts.funding ?? { action: 'fail', code: 'insufficient_funds', message: 'no funds' }].flat();
  const funding = {
    handle: async () => (log.push('funding'), decisions.length > 1 ? (decisions.shift() as InsufficientFundsDecision) : decisions[0]),
    awaitTopUp: async () => (log.push('await top-up'), opts.topUpEnds ?? true),
    explain: async (_a: unknown, _p: unknown, needed: { amountMinor: number } | null, why: string) =>
      (log.push('explain'), `insufficient funds: the balance is 1.00 usd and this label needs ${needed?.amountMinor}; ${why}`),
  } as unknown as HandleInsufficientFundsUseCase;
  const queue: QueuePort = {
    add: async (_q, _d, o) => void log.push(`enqueue delay=${o?.delayMs} id=${o?.jobId}`),
    addBulk: async (_q, items) => void log.push(`enqueue ${items.map((i) => i.options?.jobId)}`),
    waiting: async () => 0,
  };
  const files = {
    put: async (key: string, content: Buffer) => void log.push(`stored ${key} ${content.length} bytes`),
    urlFor: (k: string) => `http://files/${k}`,
  } as unknown as FileStorage;
  const labelFiles = { afterSettled: async (b: string, ids: string[]) => void log.push(`settled ${b} ${ids}`) } as unknown as MergeLabelFilesUseCase;
  const config = { workers: { ...DEFAULT_WORKER_SETTINGS, purchaseLeaseMs: opts.purchaseLeaseMs ?? DEFAULT_WORKER_SETTINGS.purchaseLeaseMs } } as AppConfig;
  const counted: string[] = [];
  const metrics: ShippingMetrics = {
    labelsBought: (p, n) => void counted.push(`bought ${p} ${n}`),
    labelFailed: (p) => void counted.push(`failed ${p}`),
    webhookAttempt: () => undefined,
    fundingEvent: () => undefined,
    batchTransition: () => undefined,
    shipmentTransitions: (field: string, to: string, n: number) => void counted.push(`${field} ${to} ${n}`),
    webhookDelivered: () => undefined,
  };
  const useCase = new PurchaseShipmentUseCase(purchases, accounts, gateway, new PurchasedLabelFiles(files), funding, queue, labelFiles, config, metrics, opts.shutdown, opts.expressFirst);
  return { useCase, log, failed, leases, counted };
}

describe('PurchaseShipmentUseCase', () => {
  describe('with express jobs (ExpressFirst)', () => {
    /** Purchases of `x*` shipments (the express job's) wait for `release`; the others count how many run at once. */
    function lanes() {
      let release!: () => void;
      const express = new Promise<void>((resolve) => (release = resolve));
      const state = { running: 0, most: 0 };
      const purchase = async (_call: number, reference: string) => {
        if (reference.startsWith('x')) await express;
        else {
          state.running++;
          state.most = Math.max(state.most, state.running);
          await new Promise((resolve) => setImmediate(resolve));
          state.running--;
        }
        return { ...label, reference };
      };
      return { release, state, purchase };
    }

    it('buys the labels of regular jobs two at a time while an express job runs in the process, then as before', async () => {
      const first = new ExpressFirst();
      const { release, state, purchase } = lanes();
      const { useCase, log } = setup({ purchase, expressFirst: first });
      const expressJob = useCase.execute(['x1'], { express: true });
      const regular = [useCase.execute(['a1', 'a2', 'a3']), useCase.execute(['b1', 'b2', 'b3']), useCase.execute(['c1', 'c2', 'c3'])];
      await Promise.all(regular);
      expect(state.most).toBe(2);
      expect(first.express).toBe(1);
      release();
      await expressJob;
      expect(log).toContain('recorded x1=9400000');
      state.most = 0;
      await Promise.all([useCase.execute(['a4']), useCase.execute(['b4']), useCase.execute(['c4'])]);
      expect(state.most).toBe(3);
    });

    it('hands back at shutdown a claim whose purchase was still waiting its turn', async () => {
      const first = new ExpressFirst();
      first.regularStepsWhileExpress = 1;
      const shutdown = new ShutdownState();
      let finishA1!: () => void;
      const a1 = new Promise<void>((resolve) => (finishA1 = resolve));
      const { release, purchase: base } = lanes();
      const purchase = async (call: number, reference: string) => {
        if (reference === 'a1') await a1;
        return base(call, reference);
      };
      const { useCase, log } = setup({ purchase, expressFirst: first, shutdown });
      const expressJob = useCase.execute(['x1'], { express: true });
      const jobA = useCase.execute(['a1']);
      const jobB = useCase.execute(['b1', 'b2']);
      await new Promise((resolve) => setImmediate(resolve));
      // b1 waits for a1's turn to end: SIGTERM hands b1 and b2 back, not bought here.
      expect(first.held).toBe(1);
      await shutdown.drain();
      finishA1();
      release();
      await Promise.all([expressJob, jobA, jobB]);
      expect(log).not.toContain('purchase b1');
      expect(log).not.toContain('purchase b2');
      expect(log.some((line) => line.startsWith('hand back') && line.includes('b1') && line.includes('b2'))).toBe(true);
    });
  });

  it('buys once and records the label', async () => {
    const { useCase, log } = setup({});
    await useCase.execute('bs1');
    expect(log).toEqual(['purchase bs1', 'recorded bs1=9400000', 'settled b1 bs1']);
  });

  it('counts the labels it records as bought, the purchases failed for good, by provider, and the transitions of the shipments (SHIPPING_METRICS)', async () => {
    const bought = setup({});
    await bought.useCase.execute(['bs1', 'bs2']);
    expect(bought.counted).toEqual(['purchase_state PURCHASING 2', 'purchase_state PURCHASED 2', 'bought fake 2']);
    const failing = setup({ lookupRequired: true, dedup: 'none' });
    await failing.useCase.execute('bs1');
    expect(failing.counted).toEqual(['purchase_state PURCHASING 1', 'failed fake', 'purchase_state FAILED 1', 'status TRANSACTION_FAILED 1']);
  });

  it('claims for the purchase lease the configuration gives (PURCHASE_LEASE_SECONDS)', async () => {
    const { useCase, leases } = setup({ purchaseLeaseMs: 10_000 });
    await useCase.execute('bs1');
    expect(leases).toEqual([10_000]);
  });

  it('looks an earlier attempt up by reference and does not buy again when found', async () => {
    const { useCase, log } = setup({ lookupRequired: true, found: label });
    await useCase.execute('bs1');
    expect(log).toEqual(['lookup', 'recorded bs1=9400000', 'settled b1 bs1']);
  });

  it('buys after a lookup that finds nothing', async () => {
    const { useCase, log } = setup({ lookupRequired: true, found: null });
    await useCase.execute('bs1');
    expect(log).toEqual(['lookup', 'purchase bs1', 'recorded bs1=9400000', 'settled b1 bs1']);
  });

  it('never buys blind when the lookup cannot tell whether an earlier attempt bought the label', async () => {
    const { useCase, log } = setup({ lookupRequired: true, lookupError: new ProviderOutcomeUnknownError('shippo: the scan did not reach back far enough') });
    await useCase.execute('bs1');
    expect(log).toEqual(['lookup', 'failed purchase_outcome_unknown lookup=true', 'settled b1 bs1']);
  });

  it('tries a failed lookup (a read) again later, still looking up before any purchase', async () => {
    const { useCase, log } = setup({ lookupRequired: true, lookupError: new ProviderUnavailableError('shippo: GET /transactions answered 503 (3 attempts)') });
    await useCase.execute('bs1');
    expect(log).toEqual(['lookup', 'requeue bs1 failure=true lookup=true', 'enqueue delay=500 id=purchase:bs1:2', 'settled b1 bs1']);
  });

  it('never ends `unavailable` because a lookup failed: with the tries used up it is purchase_outcome_unknown, not bought blind', async () => {
    const { useCase, log, failed } = setup({
      lookupRequired: true,
      failures: 4,
      lookupError: new ProviderUnavailableError('shippo: GET /transactions answered 503 (3 attempts)'),
    });
    await useCase.execute('bs1');
    expect(log).toEqual(['lookup', 'failed purchase_outcome_unknown lookup=true', 'settled b1 bs1']);
    expect(failed[0].text).toBe(
      'an earlier attempt may have bought this label, and looking it up failed (shippo: GET /transactions answered 503 (3 attempts)), ' +
        'so it was not bought again; check the provider account before purchasing it again',
    );
  });

  it('never buys again on a provider that cannot look purchases up', async () => {
    const { useCase, log } = setup({ lookupRequired: true, dedup: 'none' });
    await useCase.execute('bs1');
    expect(log).toEqual(['failed purchase_outcome_unknown lookup=false', 'settled b1 bs1']);
  });

  it('slows the account down on a rate limit without counting a failure', async () => {
    const { useCase, log } = setup({ purchase: () => Promise.reject(new ProviderRateLimitedError('429', { retryAfterMs: 4000 })) });
    await useCase.execute('bs1');
    expect(log).toEqual(['purchase bs1', 'requeue bs1 failure=false lookup=false', 'enqueue delay=4000 id=purchase:bs1:2', 'settled b1 bs1']);
  });

  it('retries an unavailable provider, remembering that it may have sold the label', async () => {
    const { useCase, log } = setup({ purchase: () => Promise.reject(new ProviderUnavailableError('503')) });
    await useCase.execute('bs1');
    expect(log).toEqual(['purchase bs1', 'requeue bs1 failure=true lookup=true', 'enqueue delay=500 id=purchase:bs1:2', 'settled b1 bs1']);
  });

  it('fails the shipment on a non-retryable error, keeping the provider\'s code and text', async () => {
    const { useCase, log } = setup({
      purchase: () => Promise.reject(new ProviderValidationError('shipstation: Invalid postal code (invalid_field_value)', { details: { provider_code: 'invalid_field_value' } })),
    });
    await useCase.execute('bs1');
    expect(log).toEqual(['purchase bs1', 'failed invalid_field_value lookup=false', 'settled b1 bs1']);
  });

  it('looks a purchase up before buying again when the failure may have committed it', async () => {
    const { useCase, log } = setup({ purchase: () => Promise.reject(new ProviderRateLimitedError('429 after send', { retryAfterMs: 1000, possiblyCommitted: true })) });
    await useCase.execute('bs1');
    expect(log).toEqual(['purchase bs1', 'requeue bs1 failure=false lookup=true', 'enqueue delay=1000 id=purchase:bs1:2', 'settled b1 bs1']);
  });

  it('asks funding on insufficient funds: a top-up is followed by one more purchase', async () => {
    let call = 0;
    const { useCase, log } = setup({
      funding: { action: 'retry', toppedUp: true },
      purchase: () => (++call === 1 ? Promise.reject(new ProviderInsufficientFundsError('broke', { details: { needed_minor: 758 } })) : Promise.resolve(label)),
    });
    await useCase.execute('bs1');
    expect(log).toEqual(['purchase bs1', 'funding', 'purchase bs1', 'recorded bs1=9400000', 'settled b1 bs1']);
  });

  it('fails the shipment with funding\'s message when funding cannot pay, and asks funding once per shipment', async () => {
    const { useCase, log } = setup({
      funding: { action: 'fail', code: 'insufficient_funds', message: 'the balance is 1.00 usd and this label needs 7.58 usd' },
      purchase: () => Promise.reject(new ProviderInsufficientFundsError('broke')),
    });
    await useCase.execute('bs1');
    expect(log).toEqual(['purchase bs1', 'funding', 'failed insufficient_funds lookup=false', 'settled b1 bs1']);
  });

  it('waits for the top-up another worker is making, then buys the shipment and the rest of its group', async () => {
    let call = 0;
    const { useCase, log } = setup({
      funding: { action: 'wait' },
      purchase: () => (++call === 1 ? Promise.reject(new ProviderInsufficientFundsError('broke')) : Promise.resolve(label)),
    });
    await useCase.execute(['bs1', 'bs2']);
    expect(log).toEqual(['purchase bs1', 'funding', 'await top-up', 'purchase bs1', 'purchase bs2', 'recorded bs1=9400000,bs2=9400000', 'settled b1 bs1,bs2']);
  });

  it('gives the group back, without counting a failure, when the top-up in progress outlasts the wait', async () => {
    const { useCase, log } = setup({ funding: { action: 'wait' }, topUpEnds: false, purchase: () => Promise.reject(new ProviderInsufficientFundsError('broke')) });
    await useCase.execute(['bs1', 'bs2']);
    expect(log).toEqual([
      'purchase bs1',
      'funding',
      'await top-up',
      'requeue bs1 failure=false lookup=false',
      'enqueue delay=2000 id=purchase:bs1:2',
      'requeue bs2 failure=false lookup=false',
      'enqueue delay=2000 id=purchase:bs2:2',
      'settled b1 bs1,bs2',
    ]);
  });

  it('buys after as many top-ups as the money runs out, never failing the shipment while top-ups are made', async () => {
    let call = 0;
    const { useCase, log } = setup({
      funding: { action: 'retry', toppedUp: true },
      purchase: () => (++call <= 5 ? Promise.reject(new ProviderInsufficientFundsError('broke', { details: { needed_minor: 758 } })) : Promise.resolve(label)),
    });
    await useCase.execute('bs1');
    expect(log.filter((l) => l === 'funding')).toHaveLength(5);
    expect(log.slice(-3)).toEqual(['purchase bs1', 'recorded bs1=9400000', 'settled b1 bs1']);
  });

  it('gives a shipment back, uncounted, with the rest of its group, once its funding rounds have taken half its claim lease', async () => {
    let now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const { useCase, log } = setup({
        funding: { action: 'retry', toppedUp: true },
        purchase: () => {
          now += DEFAULT_WORKER_SETTINGS.purchaseLeaseMs / 4 + 1;
          return Promise.reject(new ProviderInsufficientFundsError('broke'));
        },
      });
      await useCase.execute(['bs1', 'bs2']);
      expect(log).toEqual([
        'purchase bs1',
        'funding',
        'purchase bs1',
        'funding',
        'requeue bs1 failure=false lookup=false',
        'enqueue delay=2000 id=purchase:bs1:2',
        'requeue bs2 failure=false lookup=false',
        'enqueue delay=2000 id=purchase:bs2:2',
        'settled b1 bs1,bs2',
      ]);
    } finally {
      clock.mockRestore();
    }
  });

  it('fails with the balance and the amount needed when the provider keeps refusing though nothing is short', async () => {
    const { useCase, log } = setup({
      funding: [{ action: 'retry', toppedUp: true }, { action: 'retry', toppedUp: false }],
      purchase: () => Promise.reject(new ProviderInsufficientFundsError('broke', { details: { needed_minor: 758 } })),
    });
    const internals = useCase as unknown as { purchases: PurchaseRepository };
    const texts: string[] = [];
    const recordFailed = internals.purchases.recordFailed;
    internals.purchases.recordFailed = async (c, m, l) => (texts.push(m.text), recordFailed(c, m, l));
    await useCase.execute('bs1');
    // A top-up (progress), then MAX_UNFUNDED_RETRIES (3) refusals in a row with nothing short.
    expect(log).toEqual([...Array(4).fill(['purchase bs1', 'funding']).flat(), 'explain', 'failed insufficient_funds lookup=false', 'settled b1 bs1']);
    expect(texts[0]).toMatch(/^insufficient funds: the balance is 1\.00 usd and this label needs 758; the provider refused the label 3 times in a row/);
  });

  it('tries a top-up that failed retryably again later, counting a failure, and fails with its message when the tries run out', async () => {
    const later: InsufficientFundsDecision = { action: 'later', delayMs: 5000, message: 'insufficient funds: the balance is 1.00 usd; the automatic top-up failed: down' };
    const first = setup({ funding: later, purchase: () => Promise.reject(new ProviderInsufficientFundsError('broke')) });
    await first.useCase.execute(['bs1', 'bs2']);
    expect(first.log).toEqual([
      'purchase bs1',
      'funding',
      'requeue bs1 failure=true lookup=false',
      'enqueue delay=5000 id=purchase:bs1:2',
      'requeue bs2 failure=false lookup=false',
      'enqueue delay=5000 id=purchase:bs2:2',
      'settled b1 bs1,bs2',
    ]);
    const last = setup({ failures: 4, funding: later, purchase: () => Promise.reject(new ProviderInsufficientFundsError('broke')) });
    await last.useCase.execute('bs1');
    expect(last.log).toEqual(['purchase bs1', 'funding', 'failed insufficient_funds lookup=false', 'settled b1 bs1']);
  });

  it('gives a claimed group back when the pacer says the slot is too far away', async () => {
    const { useCase, log } = setup({ purchase: () => Promise.reject(new ProviderRateLimitedError('paced', { retryAfterMs: 2500, details: { paced: true } })) });
    await useCase.execute(['bs1', 'bs2']);
    expect(log).toEqual([
      'purchase bs1',
      'requeue bs1 failure=false lookup=false',
      'enqueue delay=2500 id=purchase:bs1:2',
      'requeue bs2 failure=false lookup=false',
      'enqueue delay=2500 id=purchase:bs2:2',
      'settled b1 bs1,bs2',
    ]);
  });

  it('fails the shipments of a stored account its provider no longer accepts, without calling it', async () => {
    const { useCase, log } = setup({ invalidAccount: true });
    await useCase.execute(['bs1', 'bs2']);
    expect(log).toEqual(['failed carrier_account_invalid lookup=false', 'failed carrier_account_invalid lookup=false', 'settled b1 bs1,bs2']);
  });

  it('downloads a label file served by URL and stores it like an inline one', async () => {
    const { useCase, log } = setup({
      purchase: async () => ({ ...label, documentUrl: 'https://provider.test/labels/p1.pdf' }),
      download: async (url) => (log.push(`download ${url}`), { contentType: 'application/pdf', extension: 'pdf', content: Buffer.from('%PDF-1.7 x') }),
    });
    await useCase.execute('bs1');
    expect(log).toEqual([
      'purchase bs1',
      'download https://provider.test/labels/p1.pdf',
      'stored labels/t1/bs1.pdf 10 bytes',
      'recorded bs1=9400000',
      'settled b1 bs1',
    ]);
  });

  it('records a label whose file cannot be downloaded (it was paid for), after bounded tries', async () => {
    const { useCase, log } = setup({
      purchase: async () => ({ ...label, documentUrl: 'https://provider.test/labels/p1.pdf' }),
      download: async () => (log.push('download'), Promise.reject(new ProviderUnavailableError('503'))),
    });
    await useCase.execute('bs1');
    expect(log).toEqual(['purchase bs1', 'download', 'download', 'download', 'recorded bs1=9400000', 'settled b1 bs1']);
  });

  it('fails the shipment when retries run out', async () => {
    const { useCase, log } = setup({ failures: 4, purchase: () => Promise.reject(new ProviderUnavailableError('503')) });
    await useCase.execute('bs1');
    expect(log).toEqual(['purchase bs1', 'failed unavailable lookup=true', 'settled b1 bs1']);
  });

  it('claims a group at once, buys in order and records every label in one step', async () => {
    const { useCase, log } = setup({});
    await useCase.execute(['bs1', 'bs2', 'bs3']);
    expect(log).toEqual(['purchase bs1', 'purchase bs2', 'purchase bs3', 'recorded bs1=9400000,bs2=9400000,bs3=9400000', 'settled b1 bs1,bs2,bs3']);
  });

  it("records each carrier account's share of a group as soon as it is bought: a paced account does not hold back the others", async () => {
    let release: (() => void) | undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const { useCase, log } = setup({
      accountOf: (id) => (id === 'bs2' ? 'ca2' : 'ca1'),
      // ca1's first purchase waits (its pacer slot is far away); ca2's is answered at once.
      purchase: async (_call, reference) => {
        if (reference === 'bs1') await held;
        return label;
      },
    });
    const run = useCase.execute(['bs1', 'bs2', 'bs3']);
    for (let i = 0; i < 100 && !log.includes('settled b1 bs2'); i++) await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['purchase bs1', 'purchase bs2', 'recorded bs2=9400000', 'settled b1 bs2']);
    release?.();
    await run;
    expect(log.slice(4)).toEqual(['purchase bs3', 'recorded bs1=9400000,bs3=9400000', 'settled b1 bs1,bs3']);
  });

  it('gives the rest of a group back when the provider rate-limits, keeping what was bought', async () => {
    const { useCase, log } = setup({
      purchase: (call) => (call === 2 ? Promise.reject(new ProviderRateLimitedError('429', { retryAfterMs: 4000 })) : Promise.resolve(label)),
    });
    await useCase.execute(['bs1', 'bs2', 'bs3']);
    expect(log).toEqual([
      'purchase bs1',
      'purchase bs2',
      'requeue bs2 failure=false lookup=false',
      'enqueue delay=4000 id=purchase:bs2:2',
      'requeue bs3 failure=false lookup=false',
      'enqueue delay=4000 id=purchase:bs3:2',
      'recorded bs1=9400000',
      'settled b1 bs1,bs2,bs3',
    ]);
  });

  it('records what a group bought and hands the rest back when a later step throws', async () => {
    const { useCase, log } = setup({
      purchase: (call) => (call === 2 ? Promise.reject(new ProviderValidationError('bad')) : Promise.resolve(label)),
    });
    const internals = useCase as unknown as { purchases: PurchaseRepository };
    internals.purchases.recordFailed = async () => {
      throw new Error('database down');
    };
    await useCase.execute(['bs1', 'bs2', 'bs3']);
    expect(log).toEqual([
      'purchase bs1',
      'purchase bs2',
      'recorded bs1=9400000',
      // bs2 was sent: looked up before it is bought again; bs3 never was.
      'requeue bs2 failure=true lookup=true',
      'enqueue delay=1000 id=purchase:bs2:2',
      'requeue bs3 failure=false lookup=false',
      'enqueue delay=0 id=purchase:bs3:2',
      'settled b1 bs1,bs2,bs3',
    ]);
  });

  it('a share cut off by a lost database connection is recorded and handed back once the database answers again', async () => {
    const { useCase, log } = setup({});
    const internals = useCase as unknown as { purchases: PurchaseRepository };
    let down = 3;
    const record = internals.purchases.recordPurchasedMany;
    const requeue = internals.purchases.requeue;
    const lost = () => {
      log.push('connection lost');
      return Promise.reject(new Error('Connection terminated unexpectedly'));
    };
    // The database goes away while bs2's label is stored, and answers again after three tries.
    internals.purchases.recordPurchasedMany = (items) => (down-- > 0 ? lost() : record(items));
    internals.purchases.requeue = (c, o) => (down > 0 ? lost() : requeue(c, o));
    const files = (useCase as unknown as { files: { store: PurchasedLabelFiles['store'] } }).files;
    const store = files.store.bind(files);
    files.store = (claim, bought, provider) => (claim.id === 'bs2' ? lost() : store(claim, bought, provider));
    await useCase.execute(['bs1', 'bs2', 'bs3']);
    expect(log).toEqual([
      'purchase bs1',
      'purchase bs2',
      'connection lost',
      'connection lost',
      'connection lost',
      'connection lost',
      'recorded bs1=9400000',
      'requeue bs2 failure=true lookup=true',
      'enqueue delay=1000 id=purchase:bs2:2',
      'requeue bs3 failure=false lookup=false',
      'enqueue delay=0 id=purchase:bs3:2',
      'settled b1 bs1,bs2,bs3',
    ]);
  });

  it('fails the job when the database stays away past half the lease (the leases then run out)', async () => {
    const { useCase, log } = setup({ purchaseLeaseMs: 1_000 });
    const internals = useCase as unknown as { purchases: PurchaseRepository };
    internals.purchases.recordPurchasedMany = () => Promise.reject(new Error('connect ECONNREFUSED'));
    await expect(useCase.execute(['bs1'])).rejects.toThrow('ECONNREFUSED');
    expect(log).toEqual(['purchase bs1']);
  });

  describe('at shutdown (SIGTERM)', () => {
    it('hands back at once what it claimed and did not start, and finishes the purchase in flight', async () => {
      const shutdown = new ShutdownState();
      let answer: (() => void) | undefined;
      const inFlight = new Promise<void>((resolve) => (answer = resolve));
      const { useCase, log } = setup({ shutdown, purchase: async () => (await inFlight, label) });
      const run = useCase.execute(['bs1', 'bs2', 'bs3']);
      for (let i = 0; i < 100 && !log.includes('purchase bs1'); i++) await new Promise((r) => setImmediate(r));
      // The queue stops taking jobs: bs2 and bs3 go back (queued again, together: one job) while bs1 is out.
      await shutdown.drain();
      expect(log).toEqual(['purchase bs1', 'hand back bs2,bs3', 'enqueue purchase-group:bs2:2-2']);
      answer?.();
      await run;
      // bs1's label is recorded; bs2 and bs3 are never bought here.
      expect(log.slice(3)).toEqual(['recorded bs1=9400000', 'settled b1 bs1,bs2,bs3']);
    });

    it('hands back a claim made after the drain began, before any provider call', async () => {
      const shutdown = new ShutdownState();
      await shutdown.drain();
      const { useCase, log } = setup({ shutdown });
      await useCase.execute(['bs1', 'bs2']);
      expect(log).toEqual(['hand back bs1,bs2', 'enqueue purchase-group:bs1:2-2', 'settled b1 bs1,bs2']);
    });
  });
});
