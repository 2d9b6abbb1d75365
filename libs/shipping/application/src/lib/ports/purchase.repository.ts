import type { ShipmentMessage } from '@shipbatch/shipping/domain';
import type { PurchasedLabel } from '@shipbatch/providers/core';
import type { FrozenPurchase } from './validation.repository';

export interface ClaimedPurchase {
  id: string;
  tenantId: string;
  batchId: string;
  shipmentId: string | null;
  purchase: FrozenPurchase;
  /** Whether an earlier attempt may have reached the provider: look it up before buying. */
  lookupRequired: boolean;
  failures: number;
  queueToken: number;
}

export interface QueuedPurchase {
  id: string;
  carrierAccountId: string;
  queueToken: number;
}

export interface StoredLabelFile {
  key: string;
  url: string;
}

export interface PurchasedItem {
  claim: ClaimedPurchase;
  label: PurchasedLabel;
  file: StoredLabelFile | null;
}

export interface PurchaseRepository {
  /**
   * Step 1 of "buying exactly once": records the attempt (PURCHASING, lease) before the
   * provider is called. Null when the shipment is not claimable (done, or another worker
   * holds a live lease).
   */
  claim(batchShipmentId: string, leaseMs: number): Promise<ClaimedPurchase | null>;
  /** `claim` for many shipments in one statement; the claimable ones, in batch order. */
  claimMany(batchShipmentIds: string[], leaseMs: number): Promise<ClaimedPurchase[]>;
  /** Step 3: the label, the shipment's status and the event, in one transaction. */
  recordPurchased(claim: ClaimedPurchase, label: PurchasedLabel, file: StoredLabelFile | null): Promise<void>;
  /** `recordPurchased` for many labels in one statement (one atomic step). */
  recordPurchasedMany(items: PurchasedItem[]): Promise<void>;
  /** Puts the shipment back in the queue; returns its new queue token. */
  requeue(claim: ClaimedPurchase, opts: { countFailure: boolean; lookupRequired: boolean }): Promise<number>;
  recordFailed(claim: ClaimedPurchase, message: ShipmentMessage, lookupRequired: boolean): Promise<void>;
  /** Settles a PURCHASING batch with nothing open on PURCHASED (once); true when it did. */
  finishPurchase(batchId: string): Promise<boolean>;
}
