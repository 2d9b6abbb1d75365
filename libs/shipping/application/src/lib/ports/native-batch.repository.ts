import type { NativeBatchState, ShipmentMessage } from '@shipbatch/shipping/domain';
import type { ClaimedPurchase } from './purchase.repository';

/**
 * Where a native batch is in its resumable sequence (see NativeBatchUseCase): the domain's
 * native batch states (NATIVE_BATCH_TRANSITIONS).
 */
export type NativeBatchStep = NativeBatchState;

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
}

/**
 * A carrier account's share of a batch bought through its provider's batch API. The row and
 * the shipments' hand-over (purchase_state NATIVE) are written before the provider is called;
 * every state change is a conditional update from the state the caller read, so two workers
 * cannot both take a step, and the provider batch id is recorded before anything can be bought.
 */
export interface NativeBatchRepository {
  /** How many shipments of the batch are QUEUED (and not yet attempted), per carrier account. */
  queuedShares(batchId: string): Promise<Array<{ carrierAccountId: string; count: number }>>;
  /**
   * Hands every QUEUED, never attempted shipment of one account in the batch over to a new
   * native batch, in one statement; returns its id and the shipments handed over, or null when
   * none were.
   */
  handOver(input: { tenantId: string; batchId: string; carrierAccountId: string; labelFileType: string }): Promise<{
    id: string;
    shipmentIds: string[];
  } | null>;
  /** Takes the batch's step lease (one worker at a time); null when another holds it or it is gone. */
  lease(id: string, ms: number): Promise<NativeBatchRecord | null>;
  release(id: string): Promise<void>;
  /** The shipments still NATIVE in this native batch, in batch order, as purchase claims. */
  shipments(id: string): Promise<ClaimedPurchase[]>;
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
}
