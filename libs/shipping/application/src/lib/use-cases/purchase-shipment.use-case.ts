import { Inject, Injectable, Logger } from '@nestjs/common';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import { isProviderError, type LabelProvider, type PurchasedLabel } from '@shipbatch/providers/core';
import { decidePurchaseFailure } from '@shipbatch/shipping/domain';
import type { CarrierAccountRepository } from '../ports/carrier-account.repository';
import type { LabelFileStore } from '../ports/label-file.store';
import type { ProviderGateway } from '../ports/provider.gateway';
import type { ClaimedPurchase, PurchasedItem, PurchaseRepository, StoredLabelFile } from '../ports/purchase.repository';
import { PURCHASE_THROTTLE, type PurchaseThrottle } from '../ports/purchase.throttle';
import {
  CARRIER_ACCOUNT_REPOSITORY,
  LABEL_FILE_STORE,
  PROVIDER_GATEWAY,
  PURCHASE_REPOSITORY,
  QUEUES,
} from '../ports/tokens';
import { purchaseJobId } from './purchase-job-id';

/** How long a worker may hold a shipment in PURCHASING before others treat it as crashed. */
export const PURCHASE_LEASE_MS = 120_000;

/**
 * Buys one shipment's label, exactly once (ARCHITECTURE.md, "Buying a label exactly once"):
 * 1. record the attempt before calling the provider (claim: PURCHASING + lease);
 * 2. call the provider with our reference (the batch shipment id);
 * 3. store the label, the new status and the event in one transaction;
 * 4. an attempt that may have reached the provider is looked up by reference before any
 *    new purchase.
 * Safe to run twice: a second run finds nothing to claim.
 */
@Injectable()
export class PurchaseShipmentUseCase {
  private readonly logger = new Logger(PurchaseShipmentUseCase.name);

  constructor(
    @Inject(PURCHASE_REPOSITORY) private readonly purchases: PurchaseRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
    @Inject(LABEL_FILE_STORE) private readonly files: LabelFileStore,
    @Inject(PURCHASE_THROTTLE) private readonly throttle: PurchaseThrottle,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
  ) {}

  /**
   * Buys the labels of the given batch shipments (one id, or a group queued together).
   * A group is claimed in one statement, bought one by one (each behind the account's
   * throttle) and recorded in one statement, which keeps the per-label cost of the
   * database and the queue low. A shipment bought but not yet recorded when a worker dies
   * is still PURCHASING with a lease: it is claimed again with a lookup (step 4).
   */
  async execute(batchShipmentIds: string | string[]): Promise<void> {
    const ids = typeof batchShipmentIds === 'string' ? [batchShipmentIds] : batchShipmentIds;
    const claims = await this.purchases.claimMany(ids, PURCHASE_LEASE_MS);
    if (claims.length === 0) return;
    const bought: PurchasedItem[] = [];
    try {
      for (const group of groupBy(claims, (c) => c.purchase.carrierAccountId).values()) {
        await this.buyGroup(group, bought);
      }
    } finally {
      await this.purchases.recordPurchasedMany(bought);
    }
    for (const batchId of new Set(claims.map((c) => c.batchId))) {
      if (await this.purchases.finishPurchase(batchId)) {
        this.logger.log(`batch ${batchId} purchased`);
      }
    }
  }

  /** One carrier account's share of a job, in batch order. */
  private async buyGroup(group: ClaimedPurchase[], bought: PurchasedItem[]): Promise<void> {
    const accountId = group[0].purchase.carrierAccountId;
    const account = await this.accounts.findByIdUnscoped(accountId);
    if (!account || !account.active) {
      for (const claim of group) {
        await this.purchases.recordFailed(
          claim,
          {
            source: 'shipbatch',
            code: account ? 'carrier_account_inactive' : 'carrier_account_not_found',
            text: `carrier account ${accountId} is ${account ? 'not active' : 'gone'}`,
          },
          claim.lookupRequired,
        );
      }
      return;
    }
    const provider = this.providers.forAccount(account);
    const throttleKey = accountKey(accountId);
    for (let i = 0; i < group.length; i++) {
      const claim = group[i];
      const wait = await this.throttle.reserve(throttleKey);
      if (wait > 0) {
        // The account is slowed down: give the rest back untouched and come back later.
        await this.giveBack(group.slice(i), wait);
        return;
      }
      try {
        const label = await this.buy(claim, provider);
        if (label) bought.push({ claim, label, file: await this.storeFile(claim, label) });
      } catch (error) {
        const slowedDownMs = await this.handleFailure(claim, error, account.provider, throttleKey);
        if (slowedDownMs !== null) {
          await this.giveBack(group.slice(i + 1), slowedDownMs);
          return;
        }
      }
    }
  }

  private async giveBack(claims: ClaimedPurchase[], delayMs: number): Promise<void> {
    for (const claim of claims) {
      const token = await this.purchases.requeue(claim, { countFailure: false, lookupRequired: claim.lookupRequired });
      await this.enqueue(claim.id, token, delayMs);
    }
  }

  /** Returns the label, or null when the shipment was failed instead. */
  private async buy(claim: ClaimedPurchase, provider: LabelProvider): Promise<PurchasedLabel | null> {
    if (claim.lookupRequired) {
      if (provider.capabilities.purchaseDeduplication !== 'lookup') {
        await this.purchases.recordFailed(
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
      const earlier = await provider.findPurchase(claim.id);
      if (earlier) {
        this.logger.log(`shipment ${claim.id}: found the earlier purchase ${earlier.providerLabelId}; not buying again`);
        return earlier;
      }
    }
    return provider.purchaseLabel({ reference: claim.id, ...claim.purchase.command });
  }

  private async storeFile(claim: ClaimedPurchase, label: PurchasedLabel): Promise<StoredLabelFile | null> {
    if (!label.document) return label.documentUrl ? { key: '', url: label.documentUrl } : null;
    const key = `labels/${claim.tenantId}/${claim.id}.${label.document.extension}`;
    await this.files.put(key, label.document.content, label.document.contentType);
    return { key, url: this.files.urlFor(key) };
  }

  /** Settles a failed attempt; returns the pause in ms when the account must slow down, else null. */
  private async handleFailure(
    claim: ClaimedPurchase,
    error: unknown,
    source: string,
    throttleKey: string,
  ): Promise<number | null> {
    if (!isProviderError(error)) {
      // Unexpected (database, storage, a bug): put it back with a lookup, retry later.
      this.logger.error(`shipment ${claim.id}: unexpected purchase failure: ${error instanceof Error ? error.stack : String(error)}`);
      const token = await this.purchases.requeue(claim, { countFailure: true, lookupRequired: true });
      await this.enqueue(claim.id, token, 5_000);
      return null;
    }
    // An unavailable provider may have sold the label before failing to answer.
    const lookupRequired = claim.lookupRequired || error.code === 'unavailable';
    const decision = decidePurchaseFailure(
      { code: error.code, retryable: error.retryable, retryAfterMs: error.retryAfterMs },
      claim.failures + 1,
    );
    switch (decision.action) {
      case 'slow_down': {
        await this.throttle.pause(throttleKey, decision.delayMs);
        const token = await this.purchases.requeue(claim, { countFailure: false, lookupRequired });
        await this.enqueue(claim.id, token, decision.delayMs);
        return decision.delayMs;
      }
      case 'retry': {
        const token = await this.purchases.requeue(claim, { countFailure: true, lookupRequired });
        await this.enqueue(claim.id, token, decision.delayMs);
        return null;
      }
      case 'fail':
        await this.purchases.recordFailed(claim, { source, code: error.code, text: error.message }, lookupRequired);
        return null;
    }
  }

  private enqueue(batchShipmentId: string, token: number, delayMs: number): Promise<void> {
    return this.queue.add(
      QUEUES.purchaseShipment,
      { batchShipmentId },
      { delayMs, jobId: purchaseJobId(batchShipmentId, token) },
    );
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function accountKey(carrierAccountId: string): string {
  return `carrier-account:${carrierAccountId}`;
}
