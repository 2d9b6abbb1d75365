import type { NativeBatchPageRow, NativeBatchRecord } from '@shipbatch/shipping/application';
import type { NativeBatchState } from '@shipbatch/shipping/domain';

/** A native_batches row as the driver answers it (dates as Date or string). */
export interface NativeBatchRow {
  id: string;
  tenant_id: string;
  batch_id: string;
  carrier_account_id: string;
  label_file_type: string;
  provider_batch_id: string | null;
  state: NativeBatchState;
  polls: number;
  failures: number;
  create_sent_at: Date | string | null;
  purchase_requested_at: Date | string | null;
  purchase_answered_at: Date | string | null;
}

/** The columns `NativeBatchRow` reads. */
export const NATIVE_BATCH_COLUMNS =
  'id, tenant_id, batch_id, carrier_account_id, label_file_type, provider_batch_id, state, polls, failures, create_sent_at, purchase_requested_at, purchase_answered_at';
const dateOrNull = (v: Date | string | null): Date | null => (v ? new Date(v) : null);

/** The application's record of a row. */
export const toNativeBatchRecord = (r: NativeBatchRow): NativeBatchRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  batchId: r.batch_id,
  carrierAccountId: r.carrier_account_id,
  labelFileType: r.label_file_type,
  providerBatchId: r.provider_batch_id,
  state: r.state,
  polls: Number(r.polls),
  failures: Number(r.failures),
  createSentAt: dateOrNull(r.create_sent_at),
  purchaseRequestedAt: dateOrNull(r.purchase_requested_at),
  purchaseAnsweredAt: dateOrNull(r.purchase_answered_at),
});

/** A native_batch_pages row as PAGES reads it (the driver may answer numbers as strings). */
export type NativeBatchPageSqlRow = NativeBatchPageRow;

export const toNativeBatchPageRow = (r: NativeBatchPageSqlRow): NativeBatchPageRow => ({
  list: r.list,
  page: Number(r.page),
  done: Boolean(r.done),
  failures: Number(r.failures),
  leased: Boolean(r.leased),
  abandoned: Boolean(r.abandoned),
});
