import type { ShipmentMessage } from '@shipbatch/shipping/domain';
import type { ShippingMetrics } from '../common/shipping-metrics.port';
import type { ClaimedPurchase, HandedBackPurchase, PurchasedItem, PurchaseRepository } from './purchase.repository';

/**
 * The PurchaseRepository of PurchaseShipmentUseCase, counting what it records: labels bought and
 * purchases failed for good, by the provider of the shipment's carrier account (`unknown` for an
 * account this process has not loaded: one that is gone). Counted once the record is written.
 */
export class MeteredPurchaseRepository implements PurchaseRepository {
  /** Carrier account id -> provider key: as many entries as carrier accounts. */
  private readonly providers = new Map<string, string>();

  constructor(
    private readonly inner: PurchaseRepository,
    private readonly metrics: ShippingMetrics,
  ) {}

  /** Remembers an account's provider, for the counts of its shipments. */
  account(carrierAccountId: string, provider: string): void {
    this.providers.set(carrierAccountId, provider);
  }

  async claimMany(batchShipmentIds: string[], leaseMs: number): Promise<ClaimedPurchase[]> {
    const claims = await this.inner.claimMany(batchShipmentIds, leaseMs);
    this.metrics.shipmentTransitions('purchase_state', 'PURCHASING', claims.length);
    return claims;
  }

  async recordPurchasedMany(items: PurchasedItem[]): Promise<void> {
    await this.inner.recordPurchasedMany(items);
    if (items.length > 0) this.metrics.shipmentTransitions('purchase_state', 'PURCHASED', items.length);
    const counts = new Map<string, number>();
    for (const item of items) {
      const provider = this.providerOf(item.claim);
      counts.set(provider, (counts.get(provider) ?? 0) + 1);
    }
    for (const [provider, count] of counts) this.metrics.labelsBought(provider, count);
  }

  async requeue(claim: ClaimedPurchase, opts: { countFailure: boolean; lookupRequired: boolean }): Promise<number> {
    const token = await this.inner.requeue(claim, opts);
    this.metrics.shipmentTransitions('purchase_state', 'QUEUED', 1);
    return token;
  }

  handBack(claims: ClaimedPurchase[]): Promise<HandedBackPurchase[]> {
    return this.inner.handBack(claims);
  }

  async recordFailed(claim: ClaimedPurchase, message: ShipmentMessage, lookupRequired: boolean): Promise<void> {
    await this.inner.recordFailed(claim, message, lookupRequired);
    this.metrics.labelFailed(this.providerOf(claim));
    this.metrics.shipmentTransitions('purchase_state', 'FAILED', 1);
    this.metrics.shipmentTransitions('status', 'TRANSACTION_FAILED', 1);
  }

  private providerOf(claim: ClaimedPurchase): string {
    return this.providers.get(claim.purchase.carrierAccountId) ?? 'unknown';
  }
}
