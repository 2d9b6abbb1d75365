import type { BatchShipmentStatus, ShipmentMessage } from '@shipbatch/shipping/domain';
import type { PurchaseLabelCommand } from '@shipbatch/providers/core';
import type { AddressInput, BatchShipmentInput, ParcelInput } from './shipment-input';

export interface PendingShipment {
  id: string;
  tenantId: string;
  batchId: string;
  position: number;
  input: BatchShipmentInput;
}

export interface BatchDefaults {
  tenantId: string;
  defaultCarrierAccount: string;
  defaultServicelevelToken: string;
  labelFiletype: string;
}

export interface StoredAddress extends AddressInput {
  id: string;
}
export interface StoredParcel extends ParcelInput {
  id: string;
}

export interface NewShipmentRow {
  id: string;
  tenantId: string;
  addressFromId: string | null;
  addressToId: string | null;
  addressReturnId: string | null;
  parcelIds: string[];
  objectPurpose: string;
  shipmentDate: string | null;
  metadata: string;
  externalShipmentId: string | null;
  /** The shipment's extra services as sent (`{}` when none). */
  extra: Record<string, unknown>;
}

/** The purchase command frozen at validation time, with the account that will buy it. */
export interface FrozenPurchase {
  carrierAccountId: string;
  command: Omit<PurchaseLabelCommand, 'reference'>;
  warehouseId: string | null;
  externalShipmentId: string | null;
  isInternational: boolean;
}

export interface ValidationOutcome {
  id: string;
  status: Exclude<BatchShipmentStatus, 'PENDING' | 'TRANSACTION_FAILED'>;
  messages: ShipmentMessage[];
  shipmentId: string;
  effectiveCarrierAccount: string | null;
  purchase: FrozenPurchase | null;
}

/** One validated shipment and the objects validation made for it. */
export interface ValidatedShipment {
  outcome: ValidationOutcome;
  addresses: StoredAddress[];
  parcels: StoredParcel[];
  shipment: NewShipmentRow;
}

/**
 * Validation reads outside transactions (providers may be slow and the embedded database has
 * one connection), then writes each chunk in one transaction that applies only to shipments
 * still PENDING, so two validators racing on one batch cannot both write a shipment. Only one
 * validator works on a batch at a time: it holds the batch's validation lease (a conditional
 * UPDATE, like the purchase and funding leases), so two never ask a provider about the same
 * shipments.
 */
export interface ValidationRepository {
  /**
   * Takes the batch's validation lease for `leaseMs` when the batch is VALIDATING and no
   * validator holds a live lease on it. Returns the lease's token, or null.
   */
  claimValidation(batchId: string, leaseMs: number): Promise<string | null>;
  /** Extends a held lease to `leaseMs` from now: the new token, or null when the lease was lost. */
  renewValidation(batchId: string, token: string, leaseMs: number): Promise<string | null>;
  /** Gives a held lease back: it ends now (the time stays as the batch's last validation activity). */
  releaseValidation(batchId: string, token: string): Promise<void>;
  batchDefaults(batchId: string): Promise<BatchDefaults | null>;
  /** The first `limit` pending shipments of the batch, in request order. */
  pendingShipments(batchId: string, limit: number): Promise<PendingShipment[]>;
  findAddresses(tenantId: string, ids: string[]): Promise<StoredAddress[]>;
  findParcels(tenantId: string, ids: string[]): Promise<StoredParcel[]>;
  /** External shipment ids among `ids` already used by the tenant's shipments. */
  usedExternalIds(tenantId: string, ids: string[]): Promise<string[]>;
  /** Writes a chunk in one transaction; returns how many shipments it applied to. */
  saveChunk(tenantId: string, batchId: string, results: ValidatedShipment[]): Promise<number>;
  /**
   * When no shipment is pending, settles a VALIDATING batch on VALID or INVALID as the domain
   * decides from its rows (`Batch.finishValidation`), with the batch_created event, once.
   * Returns the new status, or null when nothing changed.
   */
  finishValidation(batchId: string): Promise<'VALID' | 'INVALID' | null>;
}
