import type {
  Batch,
  BatchCounts,
  BatchStep,
  BatchShipmentStatus,
  ObjectResultsFilter,
  PurchaseState,
  ShipmentMessage,
} from '@shipbatch/shipping/domain';
import type { Page } from '../common/page';
import type { BatchShipmentInput } from './shipment-input';

export interface NewBatch {
  id: string;
  tenantId: string;
  defaultCarrierAccount: string;
  defaultServicelevelToken: string;
  labelFiletype: string;
  metadata: string;
}

export interface NewBatchShipment {
  id: string;
  input: BatchShipmentInput;
}

export interface BatchShipmentView {
  id: string;
  status: BatchShipmentStatus;
  purchaseState: PurchaseState;
  shipmentId: string | null;
  transactionId: string | null;
  carrierAccount: string | null;
  servicelevelToken: string | null;
  metadata: string;
  messages: ShipmentMessage[];
}

/** Batch rows inside one transaction, the batch row locked. */
export interface LockedBatchScope {
  batch: Batch;
  counts(): Promise<BatchCounts>;
  appendShipments(shipments: NewBatchShipment[]): Promise<void>;
  /** Ids among `ids` that are not shipments of this batch. */
  unknownShipmentIds(ids: string[]): Promise<string[]>;
  removeShipments(ids: string[]): Promise<void>;
  /**
   * Applies a step the batch handed out (`batch.transition(...)`, `planPurchase`, ...) as a
   * conditional update (`WHERE status = ANY(step.from)`), with its outbox event where the
   * domain names one (BATCH_TRANSITION_EVENTS). Throws IllegalTransitionError when the row's
   * status does not allow it.
   */
  apply(step: BatchStep): Promise<void>;
  /**
   * Moves shipments to QUEUED for purchase (`all_valid`: VALID ones never queued; `retry_failed`:
   * TRANSACTION_FAILED ones, back to VALID); returns the ids and queue tokens.
   */
  queueForPurchase(which: 'all_valid' | 'retry_failed'): Promise<Array<{ id: string; queueToken: number }>>;
}

export interface BatchRepository {
  /** Inserts the batch and all its shipments set-based, in one transaction. */
  create(batch: NewBatch, shipments: NewBatchShipment[]): Promise<void>;
  findById(tenantId: string, id: string): Promise<Batch | null>;
  list(tenantId: string, offset: number, limit: number): Promise<Page<Batch>>;
  counts(batchId: string): Promise<BatchCounts>;
  /**
   * The tenant's shipments queued or being bought, in every batch it is purchasing, counted up
   * to `atMost + 1` only (enough to tell "at most `atMost`" from "more").
   */
  openPurchases(tenantId: string, atMost: number): Promise<number>;
  /** Validated shipments in request order (pending ones are not shown). */
  listShipments(
    batchId: string,
    filter: ObjectResultsFilter | undefined,
    offset: number,
    limit: number,
  ): Promise<Page<BatchShipmentView>>;
  /** Runs `work` with the batch row locked (SELECT ... FOR UPDATE); null when absent. */
  withLockedBatch<T>(tenantId: string, id: string, work: (scope: LockedBatchScope) => Promise<T>): Promise<T | null>;
}
