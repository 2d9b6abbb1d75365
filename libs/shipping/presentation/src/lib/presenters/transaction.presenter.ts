import type { LabelRecord } from '@shipbatch/shipping/application';
import { Money } from '@shipbatch/shipping/domain';
import { iso } from './iso-date';

/**
 * Shippo's transaction object for a bought label. `download` is the link signed at read time
 * (LabelQueriesService.view); links expire, keys do not.
 */
export function presentTransaction(l: LabelRecord & { download?: { url: string } | null }) {
  const status = l.status === 'voided' ? 'REFUNDED' : 'SUCCESS';
  return {
    object_id: l.id,
    object_owner: l.tenantId,
    object_state: 'VALID',
    object_status: status,
    status,
    object_created: iso(l.createdAt),
    object_updated: iso(l.updatedAt),
    test: false,
    rate: null,
    shipment: l.shipmentId,
    batch: l.batchId,
    carrier_account: l.carrierAccountId,
    servicelevel_token: l.serviceCode,
    tracking_number: l.trackingNumber,
    tracking_status: 'UNKNOWN',
    tracking_url_provider: '',
    eta: null,
    label_url: l.download?.url ?? l.fileUrl ?? '',
    label_file_type: l.labelFileType,
    commercial_invoice_url: null,
    amount: Money.ofMinor(l.costMinor, l.currency).toDecimalString(),
    currency: l.currency.toUpperCase(),
    messages: [],
    metadata: l.metadata,
  };
}
