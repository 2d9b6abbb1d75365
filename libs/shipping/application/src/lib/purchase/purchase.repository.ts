import type { ShipmentMessage } from '@shipbatch/shipping/domain';
import type { PurchasedLabel } from '@shipbatch/providers/core';
import type { FrozenPurchase } from '../batches/validation.repository';

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
  /** The shipment's attempts counted by this claim: it names the claim (a later claim counts one more). */
  attempt: number;
}

/** A shipment handed back to the queue, with the token its job is named by. */
export interface HandedBackPurchase {
  id: string;
  queueToken: number;
}

export interface QueuedPurchase {
  id: string;
  /** The queue's fairness group of its job. */
  tenantId: string;
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

/** Settling a batch on PURCHASED is MergeLabelFilesUseCase's: only once its label files are written. */
export interface PurchaseRepository {
  /**
   * Step 1 of "buying exactly once", in one statement: records the attempt (PURCHASING,
   * lease) before the provider is called. Returns the claimable shipments in batch order;
   * one that is done, or held by another worker's live lease, is left out.
   */
  claimMany(batchShipmentIds: string[], leaseMs: number): Promise<ClaimedPurchase[]>;
  /** Step 3, in one statement (one atomic step): the labels, the shipments' status and the events. */
  recordPurchasedMany(items: PurchasedItem[]): Promise<void>;
  /** Puts the shipment back in the queue; returns its new queue token. */
  requeue(claim: ClaimedPurchase, opts: { countFailure: boolean; lookupRequired: boolean }): Promise<number>;
  recordFailed(claim: ClaimedPurchase, message: ShipmentMessage, lookupRequired: boolean): Promise<void>;
  /**
   * Gives back, in one statement, claims this worker holds but never sent to the provider (it is
   * shutting down): QUEUED again under a new queue token, lease cleared, `lookup_required` and
   * `failures` as they were. Only a claim still held (PURCHASING, this claim's attempt, its lease
   * not run out) is given back; returns those, to be queued again.
   */
  handBack(claims: ClaimedPurchase[]): Promise<HandedBackPurchase[]>;
}
