import type { LabelListQuery } from '@shipbatch/shipping/domain';
import type { Page, PageRequest } from '../common/page';

/** A bought label: Shippo's transaction and ShipStation's label are the same row. */
export interface LabelRecord {
  id: string;
  tenantId: string;
  batchId: string | null;
  batchShipmentId: string | null;
  shipmentId: string | null;
  carrierAccountId: string;
  provider: string;
  providerLabelId: string;
  status: 'completed' | 'voided';
  trackingNumber: string;
  carrier: string;
  serviceCode: string;
  costMinor: number;
  currency: string;
  labelFileType: string;
  /** Storage key of the label file; download URLs are signed from it when read. */
  fileKey: string | null;
  /** The URL stored at purchase time (a provider's own URL when the file is not ours). */
  fileUrl: string | null;
  warehouseId: string | null;
  externalShipmentId: string | null;
  isInternational: boolean;
  isReturnLabel: boolean;
  shipDate: Date | null;
  voidedAt: Date | null;
  metadata: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface LabelPage {
  labels: LabelRecord[];
  /** Every label matching the filter (exact). */
  total: number;
}

export interface LabelRepository {
  findById(tenantId: string, id: string): Promise<LabelRecord | null>;
  /** The tenant's labels among `ids`, in no particular order (unknown ids are left out). */
  findManyByIds(tenantId: string, ids: readonly string[]): Promise<LabelRecord[]>;
  /** The newest of the tenant's labels bought for that external_shipment_id. */
  findByExternalShipmentId(tenantId: string, externalShipmentId: string): Promise<LabelRecord | null>;
  /** One page, listed oldest to newest, with the exact total (see `pageWindow`). */
  list(tenantId: string, query: LabelListQuery): Promise<LabelPage>;
  /** Shippo's transaction list: newest first, optionally only live or only voided labels. */
  listNewestFirst(tenantId: string, page: PageRequest & { status?: LabelRecord['status'] }): Promise<Page<LabelRecord>>;
  /**
   * Records a void the provider approved (status voided, voided_at, modified) and the
   * transaction_updated event, once; null when the label was already voided.
   */
  markVoided(tenantId: string, id: string): Promise<LabelRecord | null>;
}
