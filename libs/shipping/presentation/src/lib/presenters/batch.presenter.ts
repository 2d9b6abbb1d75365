import type { BatchDetails, BatchShipmentView } from '@shipbatch/shipping/application';
import { type Batch, BatchCounts } from '@shipbatch/shipping/domain';
import { iso } from './iso-date';

export function presentBatchShipment(s: BatchShipmentView) {
  return {
    object_id: s.id,
    object_status: s.status,
    status: s.status,
    shipment: s.shipmentId,
    transaction: s.transactionId,
    carrier_account: s.carrierAccount,
    servicelevel_token: s.servicelevelToken,
    metadata: s.metadata,
    messages: s.messages,
  };
}

/** Shippo's batch object; `status` repeats `object_status` as today's Shippo API names it. */
export function presentBatch(
  batch: Batch,
  options: {
    counts?: BatchCounts;
    details?: BatchDetails;
    baseUrl: string;
    filter?: string;
    empty?: boolean;
    /** Signed URLs of the merged label files (BatchQueriesService.labelUrls). */
    labelUrls?: string[];
  },
) {
  const b = batch.snapshot;
  const counts = options.details?.counts ?? options.counts ?? BatchCounts.empty();
  let batchShipments: { count: number; next: string | null; previous: string | null; results: unknown[] } = {
    count: 0,
    next: null,
    previous: null,
    results: [],
  };
  if (options.details && !options.empty) {
    const { shipments, page } = options.details;
    const link = (p: number) => {
      const q = new URLSearchParams({ page: String(p) });
      if (options.filter) q.set('object_results', options.filter);
      return `${options.baseUrl}/batches/${b.id}?${q}`;
    };
    const pages = Math.ceil(shipments.total / 100);
    batchShipments = {
      count: shipments.total,
      next: page < pages ? link(page + 1) : null,
      previous: page > 1 ? link(Math.min(page - 1, Math.max(pages, 1))) : null,
      results: shipments.items.map(presentBatchShipment),
    };
  }
  return {
    object_id: b.id,
    object_owner: b.tenantId,
    object_status: b.status,
    status: b.status,
    object_created: iso(b.createdAt),
    object_updated: iso(b.updatedAt),
    metadata: b.metadata,
    default_carrier_account: b.defaultCarrierAccount,
    default_servicelevel_token: b.defaultServicelevelToken,
    label_filetype: b.labelFiletype,
    batch_shipments: batchShipments,
    object_results: options.empty ? BatchCounts.empty().objectResults : counts.objectResults,
    label_url: options.empty ? [] : (options.labelUrls ?? options.details?.labelUrls ?? []),
  };
}
