import type { NativeBatchState, ShipmentMessage } from '@shipbatch/shipping/domain';
import type { ClaimedPurchase } from '../purchase/purchase.repository';
import type { FrozenPurchase } from '../batches/validation.repository';

/**
 * Where a native batch is in its resumable sequence (see NativeBatchUseCase): the domain's
 * native batch states (NATIVE_BATCH_TRANSITIONS).
 */
export type NativeBatchStep = NativeBatchState;

/** A list of a purchased provider batch read in pages (the port's NativeBatchList). */
export type NativeBatchListName = 'labels' | 'errors';

export interface NativeBatchRecord {
  id: string;
  tenantId: string;
  batchId: string;
  carrierAccountId: string;
  labelFileType: string;
  providerBatchId: string | null;
  state: NativeBatchStep;
  /** How often the provider batch was read while waiting for it (bounds the wait). */
  polls: number;
  /** Retryable failures of provider calls so far. */
  failures: number;
  /** When a create of the provider batch was sent (its answer may have been lost); null before. */
  createSentAt: Date | null;
  /** When the purchase was recorded as asked for (VALIDATED -> PURCHASE_REQUESTED); null before. */
  purchaseRequestedAt: Date | null;
  /** When the provider acknowledged the purchase; null while its outcome is unknown. */
  purchaseAnsweredAt: Date | null;
}

/** A shipment held by a native batch: its purchase claim and the provider's shipment id, once made. */
export interface NativeShipment extends ClaimedPurchase {
  nativeShipmentId: string | null;
}

/** A never-attempted QUEUED shipment of an account in a batch, with its purchase (to group a share). */
export interface NativeCandidate {
  id: string;
  purchase: FrozenPurchase;
}

/** One page of a list of a provider batch, as recorded. */
export interface NativeBatchPageRow {
  list: NativeBatchListName;
  page: number;
  done: boolean;
  failures: number;
  /** Whether a worker holds it now. */
  leased: boolean;
  /** Taken by a worker whose lease ran out without releasing it (it died): its job may be stuck with it. */
  abandoned: boolean;
}

/**
 * A carrier account's share of a batch bought through its provider's batch API. The row and
 * the shipments' hand-over (purchase_state NATIVE) are written before the provider is called;
 * every state change is a conditional update from the state the caller read, so two workers
 * cannot both take a step, and the provider batch id is recorded before anything can be bought.
 * After the purchase, each page of each list is a row of its own with its own lease, so several
 * workers collect one provider batch at once.
 */
export interface NativeBatchRepository {
  /** How many shipments of the batch are QUEUED (and not yet attempted), per carrier account. */
  queuedShares(batchId: string): Promise<Array<{ carrierAccountId: string; count: number }>>;
  /** The QUEUED, never attempted shipments of one account in the batch, in batch order. */
  candidates(batchId: string, carrierAccountId: string): Promise<NativeCandidate[]>;
  /**
   * Hands these shipments (those still QUEUED and never attempted) of one account in the batch
   * over to a new native batch, in one statement; returns its id and the shipments handed over,
   * or null when none were.
   */
  handOver(input: { tenantId: string; batchId: string; carrierAccountId: string; labelFileType: string; shipmentIds: string[] }): Promise<{
    id: string;
    shipmentIds: string[];
  } | null>;
  /** Takes the batch's step lease (one worker at a time); null when another holds it or it is gone. */
  lease(id: string, ms: number): Promise<NativeBatchRecord | null>;
  release(id: string): Promise<void>;
  /** The row as it is, without taking its lease (page collection); null when gone. */
  find(id: string): Promise<NativeBatchRecord | null>;
  /** The shipments still NATIVE in this native batch (only those of `ids` when given), in batch order. */
  shipments(id: string, ids?: string[]): Promise<NativeShipment[]>;
  /** Records the provider's shipment ids of shipments still NATIVE here. */
  recordPrepared(id: string, made: Array<{ shipmentId: string; nativeShipmentId: string }>): Promise<void>;
  /** Records that a create is about to be sent (CREATING only): a later try looks it up first. */
  recordCreateSent(id: string): Promise<void>;
  /** VALIDATED -> PURCHASE_REQUESTED, noting when; false when the row was not VALIDATED (another worker asked). */
  requestPurchase(id: string): Promise<boolean>;
  /** The provider acknowledged the purchase (its answer came). */
  recordPurchaseAnswered(id: string): Promise<void>;
  /** CREATING -> CREATED with the provider's batch id; false when the row was not CREATING. */
  recordCreated(id: string, providerBatchId: string): Promise<boolean>;
  /**
   * `from` -> `to`, a move the native batch machine names (NATIVE_BATCH_TRANSITIONS; any other
   * is refused with IllegalTransitionError before anything is written); false when the row
   * was not in `from`.
   */
  move(id: string, from: NativeBatchStep, to: NativeBatchStep): Promise<boolean>;
  /** Counts one poll or one retryable failure. */
  count(id: string, what: 'polls' | 'failures'): Promise<void>;
  /** NATIVE -> QUEUED for single purchases (new queue tokens), optionally looked up first. */
  giveBack(id: string, shipmentIds: string[], lookupRequired: boolean): Promise<Array<{ id: string; queueToken: number }>>;
  /** NATIVE -> FAILED / TRANSACTION_FAILED with each shipment's messages. */
  fail(id: string, failures: Array<{ shipmentId: string; messages: ShipmentMessage[] }>): Promise<void>;
  /** Native batches not finished whose row has not moved for `staleMs`: the reconciler rings them again. */
  stale(staleMs: number): Promise<string[]>;

  /** Records pages 1..`pages` of a list (pages already recorded are kept as they are). */
  planPages(id: string, list: NativeBatchListName, pages: number): Promise<void>;
  /** Every recorded page of every list. */
  pages(id: string): Promise<NativeBatchPageRow[]>;
  /** Takes a page's lease; false when it is done, held by another worker, or not recorded. */
  leasePage(id: string, list: NativeBatchListName, page: number, ms: number): Promise<boolean>;
  /** Releases a page's lease, counting a failure when asked; returns the page's failures. */
  releasePage(id: string, list: NativeBatchListName, page: number, failed: boolean): Promise<number>;
  /** Marks a page read (its lease released); returns how many pages of the batch are not done. */
  pageDone(id: string, list: NativeBatchListName, page: number): Promise<number>;
}
