import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { QUEUE_PORT, type QueuePort, ShutdownState } from '@shipbatch/platform/queue';
import { isProviderError, type LabelProvider, type PurchasedLabel } from '@shipbatch/providers/core';
import { decidePurchaseFailure, type ShipmentMessage } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import type { ClaimedPurchase, PurchasedItem, PurchaseRepository } from './purchase.repository';
import { CARRIER_ACCOUNT_REPOSITORY, PROVIDER_GATEWAY, PURCHASE_REPOSITORY, QUEUES, SHIPPING_METRICS } from '../tokens';
import { NO_SHIPPING_METRICS, type ShippingMetrics } from '../common/shipping-metrics.port';
import { MeteredPurchaseRepository } from './metered-purchase.repository';
import { HandleInsufficientFundsUseCase } from '../funding/handle-insufficient-funds.use-case';
import { FundingRounds } from '../funding/funding-rounds';
import { MergeLabelFilesUseCase } from '../label-files/merge-label-files.use-case';
import { purchaseJobId } from './purchase-job-id';
import { persistently } from '../common/persistently';
import { errorText, groupBy, LookupFailed, type ShareProgress } from './purchase-share.util';
import { PurchaseFundingStep } from './purchase-funding.step';
import { PurchasedLabelFiles } from '../label-files/purchased-label.files';
import { PurchaseHandBack } from './purchase-hand-back';
import { atOnce, ExpressFirst, type StepRunner } from '../common/express-first';

/** What became of one shipment's attempt. */
export type Attempt = { kind: 'bought'; label: PurchasedLabel } | { kind: 'settled' } | { kind: 'slowed'; delayMs: number };

/**
 * Buys one shipment's label, exactly once (ARCHITECTURE.md, "Buying a label exactly once"):
 * 1. record the attempt before calling the provider (claim: PURCHASING + lease);
 * 2. call the provider with our reference (the batch shipment id);
 * 3. store the label, the new status and the event in one transaction;
 * 4. an attempt that may have reached the provider is looked up by reference before any
 *    new purchase.
 * Safe to run twice: a second run finds nothing to claim. Provider calls are paced under the
 * provider's rate limit by the adapter (the registry hands it the shared pacer); a slot too far
 * away, or a 429, gives the rest of the group back to the queue with that delay.
 */
@Injectable()
export class PurchaseShipmentUseCase {
  private readonly logger = new Logger(PurchaseShipmentUseCase.name);
  private readonly fundingStep: PurchaseFundingStep;
  /**
   * How long a worker may hold a shipment in PURCHASING before others treat it as crashed
   * (`PURCHASE_LEASE_SECONDS`). Longer than a claimed group's paced purchases take.
   */
  private readonly leaseMs: number;
  /** `purchases`, counting what it records (SHIPPING_METRICS): labels bought and failed, shipments claimed, requeued, bought, failed. */
  private readonly metered: MeteredPurchaseRepository;
  /** Claims held and not started: handed back when this process shuts down. */
  private readonly handBack: PurchaseHandBack;

  constructor(
    @Inject(PURCHASE_REPOSITORY) private readonly purchases: PurchaseRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
    private readonly files: PurchasedLabelFiles,
    private readonly funding: HandleInsufficientFundsUseCase,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    private readonly labelFiles: MergeLabelFilesUseCase,
    @Inject(APP_CONFIG) config: AppConfig,
    @Optional() @Inject(SHIPPING_METRICS) metrics?: ShippingMetrics,
    @Optional() shutdown?: ShutdownState,
    @Optional() private readonly expressFirst?: ExpressFirst,
  ) {
    this.leaseMs = config.workers.purchaseLeaseMs;
    this.metered = new MeteredPurchaseRepository(purchases, metrics ?? NO_SHIPPING_METRICS);
    this.handBack = new PurchaseHandBack(purchases, queue, this.logger, shutdown);
    this.fundingStep = new PurchaseFundingStep(this.metered, funding, (claim, token, delayMs) => this.enqueue(claim, token, delayMs));
  }

  /**
   * Buys the labels of the given batch shipments (one id, or a group queued together).
   * A group is claimed in one statement; each carrier account's share of it is bought one by
   * one and recorded in one statement, which keeps the per-label cost of the database and the
   * queue low. The shares of different accounts are bought side by side and each is recorded
   * (and its label file chunks merged) as soon as it is done: a share its provider's pacer holds
   * back (a low rate limit) does not hold back the labels of other accounts queued in the same
   * group. A shipment bought but not yet recorded when a worker dies is still PURCHASING with a
   * lease: it is claimed again with a lookup (step 4).
   *
   * `express`: a job of the express lane, which goes ahead of regular work in this process
   * (ExpressFirst); a regular job's labels are bought as regular steps.
   */
  async execute(batchShipmentIds: string | string[], options: { express?: boolean } = {}): Promise<void> {
    const ids = typeof batchShipmentIds === 'string' ? [batchShipmentIds] : batchShipmentIds;
    const first = this.expressFirst;
    if (!first) return this.run(ids, atOnce);
    if (options.express) return first.expressJob(() => this.run(ids, atOnce));
    return this.run(ids, (step) => first.regularStep(step));
  }

  private async run(ids: string[], step: StepRunner): Promise<void> {
    const claimedAt = Date.now();
    const claims = await this.metered.claimMany(ids, this.leaseMs);
    if (claims.length === 0) return;
    await this.handBack.hold(claims);
    const shares = [...groupBy(claims, (c) => c.purchase.carrierAccountId).values()];
    // Every share runs to its end (and records what it bought) before a failure is thrown.
    const outcomes = await Promise.allSettled(shares.map((share) => this.buyShare(share, claimedAt, step)));
    // What a failure left unstarted stays claimed (its lease runs out, as before): no longer held here.
    this.handBack.startAll(claims);
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * One carrier account's share of a job: bought, recorded, and its settled chunks merged. A
   * failure outside the provider's answers (the database connection lost mid-share) does not leave
   * the claims held until their lease runs out: what was bought is recorded and what is left is
   * handed back to the queue (looked up first where an attempt may have reached the provider),
   * each write repeated until the database answers, for up to half the lease from the claim.
   */
  private async buyShare(share: ClaimedPurchase[], claimedAt: number, step: StepRunner): Promise<void> {
    const bought: PurchasedItem[] = [];
    const progress: ShareProgress = { settled: new Set(), attempted: new Set() };
    let failure: unknown;
    try {
      await this.buyGroup(share, bought, claimedAt, progress, step);
    } catch (error) {
      failure = error;
    }
    const deadline = claimedAt + this.leaseMs / 2;
    const retrying = (what: string) => (error: unknown) =>
      this.logger.warn(`${what} of ${share.length} shipment(s) of batch ${share[0].batchId} failed, trying again: ${errorText(error)}`, {
        batch_id: share[0].batchId,
        batch_shipment_ids: share.map((c) => c.id),
      });
    try {
      await persistently(() => this.metered.recordPurchasedMany(bought), deadline, retrying('recording the labels'));
      if (failure !== undefined) {
        const unsettled = share.filter((c) => !progress.settled.has(c.id) && !bought.some((b) => b.claim.id === c.id));
        await persistently(() => this.requeueInterrupted(unsettled, progress.attempted), deadline, retrying('handing back'));
        this.logger.warn(`${unsettled.length} shipment(s) of batch ${share[0].batchId} handed back to the queue after: ${errorText(failure)}`, {
          batch_id: share[0].batchId,
          batch_shipment_ids: unsettled.map((c) => c.id),
        });
      }
      // The shipments settled (or went back to the queue): each label file chunk they complete
      // is merged; the last merge makes the batch PURCHASED.
      for (const [batchId, settled] of groupBy(share, (c) => c.batchId)) {
        const ids = settled.map((c) => c.id);
        await persistently(() => this.labelFiles.afterSettled(batchId, ids), deadline, retrying('merging the label files'));
      }
    } catch (error) {
      // Still failing at the deadline: the job fails (BullMQ retries it) and the claims' leases run out.
      throw failure ?? error;
    }
  }

  /** Claims an interrupted share still holds go back to the queue; one an attempt may have sent is looked up first. */
  private async requeueInterrupted(claims: ClaimedPurchase[], attempted: ReadonlySet<string>): Promise<void> {
    for (const claim of claims) {
      const lookupRequired = claim.lookupRequired || attempted.has(claim.id);
      const token = await this.metered.requeue(claim, { countFailure: attempted.has(claim.id), lookupRequired });
      await this.enqueue(claim, token, attempted.has(claim.id) ? 1_000 : 0);
    }
  }

  /** Those of `claims` still held here, now started; the ones handed back at shutdown are settled as far as this job goes. */
  private startHeld(claims: ClaimedPurchase[], progress: ShareProgress): ClaimedPurchase[] {
    const mine = this.handBack.startAll(claims);
    const started = new Set(mine.map((c) => c.id));
    for (const claim of claims) if (!started.has(claim.id)) progress.settled.add(claim.id);
    return mine;
  }

  /** One carrier account's share of a job, in batch order, each label bought and stored as one step. */
  private async buyGroup(
    group: ClaimedPurchase[],
    bought: PurchasedItem[],
    claimedAt: number,
    progress: ShareProgress,
    step: StepRunner,
  ): Promise<void> {
    const accountId = group[0].purchase.carrierAccountId;
    const account = await this.accounts.findByIdUnscoped(accountId);
    if (account) this.metered.account(account.id, account.provider);
    if (!account || !account.active) {
      const code = account ? 'carrier_account_inactive' : 'carrier_account_not_found';
      await this.failAll(this.startHeld(group, progress), { source: 'shipbatch', code, text: `carrier account ${accountId} is ${account ? 'not active' : 'gone'}` }, progress);
      return;
    }
    let provider: LabelProvider;
    try {
      provider = this.providers.forAccount(account);
    } catch (error) {
      // A stored account its provider no longer accepts: its shipments fail, nothing crashes.
      const text = error instanceof Error ? error.message : String(error);
      this.logger.error(`carrier account ${accountId}: ${text}`, {
        carrier_account_id: accountId,
        tenant_id: account.tenantId,
        batch_id: group[0].batchId,
        batch_shipment_ids: group.map((c) => c.id),
      });
      await this.failAll(this.startHeld(group, progress), { source: 'shipbatch', code: 'carrier_account_invalid', text }, progress);
      return;
    }
    for (let i = 0; i < group.length; i++) {
      const claim = group[i];
      const attempt = await step(async (): Promise<Attempt | null> => {
        // Handed back at shutdown (perhaps while this step waited its turn): another worker buys it.
        if (!this.handBack.start(claim)) return null;
        progress.attempted.add(claim.id);
        const outcome = await this.attempt(claim, account, provider, claimedAt);
        if (outcome.kind === 'bought') bought.push({ claim, label: outcome.label, file: await this.files.store(claim, outcome.label, provider) });
        return outcome;
      });
      // Settled, as far as this job goes: failed, given back, or handed back.
      if (attempt?.kind !== 'bought') progress.settled.add(claim.id);
      if (attempt?.kind === 'slowed') {
        // The account is slowed down: give the rest back untouched and come back later.
        await this.giveBack(this.startHeld(group.slice(i + 1), progress), attempt.delayMs, progress);
        return;
      }
    }
  }

  /** One shipment: buy (or find) its label, or settle the failure. */
  private async attempt(claim: ClaimedPurchase, account: CarrierAccountRecord, provider: LabelProvider, claimedAt: number): Promise<Attempt> {
    // Funding rounds (top-ups, waits for another worker's) end by half the claim's lease.
    const funding = new FundingRounds(claimedAt + this.leaseMs / 2);
    for (;;) {
      const sentAt = Date.now();
      try {
        const label = await this.buy(claim, provider);
        return label ? { kind: 'bought', label } : { kind: 'settled' };
      } catch (error) {
        if (!isProviderError(error) || error.code !== 'insufficient_funds') return this.handleFailure(claim, error, account.provider);
        const next = await this.fundingStep.afterInsufficientFunds(claim, account, provider, error, sentAt, funding);
        if (next !== 'retry') return next;
      }
    }
  }

  private async failAll(group: ClaimedPurchase[], message: ShipmentMessage, progress: ShareProgress): Promise<void> {
    for (const claim of group) {
      await this.metered.recordFailed(claim, message, claim.lookupRequired);
      progress.settled.add(claim.id);
    }
  }

  private async giveBack(claims: ClaimedPurchase[], delayMs: number, progress: ShareProgress): Promise<void> {
    for (const claim of claims) {
      const token = await this.metered.requeue(claim, { countFailure: false, lookupRequired: claim.lookupRequired });
      progress.settled.add(claim.id);
      await this.enqueue(claim, token, delayMs);
    }
  }

  /** Returns the label, or null when the shipment was failed instead. */
  private async buy(claim: ClaimedPurchase, provider: LabelProvider): Promise<PurchasedLabel | null> {
    if (claim.lookupRequired) {
      if (provider.capabilities.purchaseDeduplication !== 'lookup') {
        await this.metered.recordFailed(
          claim,
          {
            source: 'shipbatch',
            code: 'purchase_outcome_unknown',
            text:
              'an earlier attempt may have bought this label and the provider cannot look purchases up, ' +
              'so it was not bought again; check the provider account before purchasing it again',
          },
          false,
        );
        return null;
      }
      const earlier = await provider.findPurchase(claim.id).catch((error: unknown) => {
        throw new LookupFailed(error);
      });
      if (earlier) {
        this.logger.log(`shipment ${claim.id} (batch ${claim.batchId}): found the earlier purchase ${earlier.providerLabelId}; not buying again`, {
          batch_shipment_id: claim.id,
          batch_id: claim.batchId,
          tenant_id: claim.tenantId,
          provider_label_id: earlier.providerLabelId,
        });
        return earlier;
      }
    }
    return provider.purchaseLabel({ reference: claim.id, ...claim.purchase.command });
  }

  /**
   * Settles a failed attempt. A failed lookup is a read that failed, not a purchase: it is tried
   * again like any failure, and when the tries are used up the shipment ends
   * `purchase_outcome_unknown` (it may have been bought; it is never bought blind), never with
   * the read's own error.
   */
  private async handleFailure(claim: ClaimedPurchase, failure: unknown, source: string): Promise<Attempt> {
    const duringLookup = failure instanceof LookupFailed;
    const error = duringLookup ? failure.error : failure;
    if (!isProviderError(error)) {
      // Unexpected (database, storage, a bug): put it back with a lookup, retry later.
      this.logger.error(
        `shipment ${claim.id} (batch ${claim.batchId}): unexpected purchase failure: ${error instanceof Error ? error.stack : String(error)}`,
        { batch_shipment_id: claim.id, batch_id: claim.batchId, tenant_id: claim.tenantId },
      );
      const token = await this.metered.requeue(claim, { countFailure: true, lookupRequired: true });
      await this.enqueue(claim, token, 5_000);
      return { kind: 'settled' };
    }
    // A purchase that failed after it was sent may have bought the label: look it up first.
    const lookupRequired = claim.lookupRequired || error.possiblyCommitted || error.code === 'unavailable';
    const decision = decidePurchaseFailure(
      { code: error.code, retryable: error.retryable, retryAfterMs: error.retryAfterMs },
      claim.failures + 1,
    );
    switch (decision.action) {
      case 'slow_down': {
        // The adapter's pacer already holds every worker off this budget (a 429 pauses it).
        const token = await this.metered.requeue(claim, { countFailure: false, lookupRequired });
        await this.enqueue(claim, token, decision.delayMs);
        return { kind: 'slowed', delayMs: decision.delayMs };
      }
      case 'retry': {
        const token = await this.metered.requeue(claim, { countFailure: true, lookupRequired });
        await this.enqueue(claim, token, decision.delayMs);
        return { kind: 'settled' };
      }
      case 'fail': {
        if (duringLookup && error.code !== 'outcome_unknown') {
          const text =
            `an earlier attempt may have bought this label, and looking it up failed (${error.message}), ` +
            'so it was not bought again; check the provider account before purchasing it again';
          await this.metered.recordFailed(claim, { source, code: 'purchase_outcome_unknown', text }, lookupRequired);
          return { kind: 'settled' };
        }
        const providerCode = error.details?.['provider_code'];
        const code =
          error.code === 'outcome_unknown'
            ? 'purchase_outcome_unknown'
            : typeof providerCode === 'string' && providerCode
              ? providerCode
              : error.code;
        await this.metered.recordFailed(claim, { source, code, text: error.message }, lookupRequired);
        return { kind: 'settled' };
      }
    }
  }

  /** A retry: the tenant's group (fair between tenants), under the new queue token. */
  private enqueue(claim: ClaimedPurchase, token: number, delayMs: number): Promise<void> {
    return this.queue.add(
      QUEUES.purchaseShipment,
      { batchShipmentId: claim.id },
      { delayMs, jobId: purchaseJobId(claim.id, token), group: claim.tenantId },
    );
  }
}
