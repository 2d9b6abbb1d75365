import { Batch, BatchCounts, type BatchShipmentStatus, type BatchStatus, type PurchaseState } from '@shipbatch/shipping/domain';
import type { BatchShipmentView } from '@shipbatch/shipping/application';

export interface BatchRow {
  id: string;
  tenant_id: string;
  status: string;
  default_carrier_account: string;
  default_servicelevel_token: string;
  label_filetype: string;
  metadata: string;
  label_file_keys: string[];
  created_at: Date;
  updated_at: Date;
}

export function toBatch(row: BatchRow): Batch {
  return new Batch({
    id: row.id,
    tenantId: row.tenant_id,
    status: row.status as BatchStatus,
    defaultCarrierAccount: row.default_carrier_account,
    defaultServicelevelToken: row.default_servicelevel_token,
    labelFiletype: row.label_filetype,
    metadata: row.metadata,
    labelFileKeys: row.label_file_keys ?? [],
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  });
}

export function toCounts(rows: Array<{ status: string; purchase_state: string; n: string | number }>): BatchCounts {
  const byStatus: Partial<Record<BatchShipmentStatus, number>> = {};
  const byPurchase: Partial<Record<PurchaseState, number>> = {};
  for (const r of rows) {
    const n = Number(r.n);
    byStatus[r.status as BatchShipmentStatus] = (byStatus[r.status as BatchShipmentStatus] ?? 0) + n;
    byPurchase[r.purchase_state as PurchaseState] = (byPurchase[r.purchase_state as PurchaseState] ?? 0) + n;
  }
  return new BatchCounts(byStatus, byPurchase);
}

export const COUNTS_SQL = `SELECT status, purchase_state, count(*) AS n FROM batch_shipments WHERE batch_id = $1 GROUP BY status, purchase_state`;

export interface BatchShipmentRow {
  id: string;
  status: string;
  purchase_state: string;
  shipment_id: string | null;
  transaction_id: string | null;
  carrier_account: string | null;
  servicelevel_token: string | null;
  metadata: string;
  messages: BatchShipmentView['messages'];
}

export function toShipmentView(r: BatchShipmentRow): BatchShipmentView {
  return {
    id: r.id,
    status: r.status as BatchShipmentStatus,
    purchaseState: r.purchase_state as PurchaseState,
    shipmentId: r.shipment_id,
    transactionId: r.transaction_id,
    carrierAccount: r.carrier_account,
    servicelevelToken: r.servicelevel_token,
    metadata: r.metadata,
    messages: r.messages ?? [],
  };
}
