import type { HttpRequest } from '@shipbatch/providers/core';
import type { ShipStationClient } from './shipstation.client';
import type {
  SsBatch,
  SsBatchErrorsAnswer,
  SsCreateBatchRequest,
  SsCreateShipmentsAnswer,
  SsCreateWarehouseRequest,
  SsListLabelsAnswer,
  SsListShipmentsAnswer,
  SsListShipmentsQuery,
  SsProcessBatchRequest,
  SsShipment,
  SsShipmentCreate,
  SsWarehouse,
} from './shipstation-batch.types';

/** Shipments sent in one `POST /v2/shipments` (ShipStation documents no limit; 100 keeps a request small and the count of calls at N/100). */
export const SHIPSTATION_SHIPMENTS_PER_CREATE = 100;
/** Labels read in one `GET /v2/labels?batch_id=` page. */
export const SHIPSTATION_LABELS_PAGE_SIZE = 500;
/** Errors read in one `GET /v2/batches/{id}/errors` page. */
export const SHIPSTATION_ERRORS_PAGE_SIZE = 500;

const seg = (value: string): string => encodeURIComponent(value);

/**
 * ShipStation API v2's batch path: shipments in bulk, warehouses, batches, their errors and the
 * labels they made. Every call goes through the account's transport (`ShipStationClient.http`),
 * so it is paced under the same budget as single purchases (one per API key, shared by every
 * worker), a 429 pauses that budget, and errors are mapped and redacted the same way.
 *
 * Calls that make something (`POST /v2/shipments`, `/warehouses`, `/batches`, `/add`,
 * `/process/labels`) are not repeated by the transport once sent: a lost answer is
 * `possiblyCommitted`, and the caller finds the result again by our ids
 * (`external_shipment_id`, `external_batch_id`, the warehouse's name) before sending anything
 * again. `process/labels` in particular is sent at most once per batch by the caller.
 */
export class ShipStationBatchClient {
  constructor(private readonly client: ShipStationClient) {}

  private async call<T>(req: HttpRequest): Promise<T> {
    return (await this.client.http.request<T>(req)).data;
  }

  /** POST /v2/shipments: creates up to SHIPSTATION_SHIPMENTS_PER_CREATE shipments; buys nothing. */
  createShipments(shipments: SsShipmentCreate[]): Promise<SsCreateShipmentsAnswer> {
    return this.call<SsCreateShipmentsAnswer>({ method: 'POST', path: '/v2/shipments', body: { shipments }, idempotent: false });
  }

  /** GET /v2/shipments/external_shipment_id/{id}: 404 (ProviderNotFoundError) when none. */
  shipmentByExternalId(externalShipmentId: string): Promise<SsShipment> {
    return this.call<SsShipment>({ method: 'GET', path: `/v2/shipments/external_shipment_id/${seg(externalShipmentId)}` });
  }

  /** GET /v2/shipments: one page of the account's shipments, filtered. */
  listShipments(query: SsListShipmentsQuery): Promise<SsListShipmentsAnswer> {
    return this.call<SsListShipmentsAnswer>({ method: 'GET', path: '/v2/shipments', query: { ...query } });
  }

  /** GET /v2/warehouses: every warehouse of the account. */
  async warehouses(): Promise<SsWarehouse[]> {
    const answer = await this.call<{ warehouses?: SsWarehouse[] }>({ method: 'GET', path: '/v2/warehouses' });
    return Array.isArray(answer?.warehouses) ? answer.warehouses : [];
  }

  /** POST /v2/warehouses (not repeated once sent: a lost answer is found again by the warehouse's name). */
  createWarehouse(body: SsCreateWarehouseRequest): Promise<SsWarehouse> {
    return this.call<SsWarehouse>({ method: 'POST', path: '/v2/warehouses', body, idempotent: false });
  }

  /** POST /v2/batches (not repeated once sent: a lost answer is found again by `external_batch_id`). */
  createBatch(body: SsCreateBatchRequest): Promise<SsBatch> {
    return this.call<SsBatch>({ method: 'POST', path: '/v2/batches', body, idempotent: false });
  }

  /** GET /v2/batches/external_batch_id/{id}: 404 (ProviderNotFoundError) when none. */
  batchByExternalId(externalBatchId: string): Promise<SsBatch> {
    return this.call<SsBatch>({ method: 'GET', path: `/v2/batches/external_batch_id/${seg(externalBatchId)}` });
  }

  /** GET /v2/batches/{batch_id}. */
  batch(batchId: string): Promise<SsBatch> {
    return this.call<SsBatch>({ method: 'GET', path: `/v2/batches/${seg(batchId)}` });
  }

  /** POST /v2/batches/{batch_id}/add (204). */
  async addToBatch(batchId: string, shipmentIds: string[]): Promise<void> {
    await this.call<unknown>({ method: 'POST', path: `/v2/batches/${seg(batchId)}/add`, body: { shipment_ids: shipmentIds }, idempotent: false });
  }

  /** POST /v2/batches/{batch_id}/remove (204): before processing only. */
  async removeFromBatch(batchId: string, shipmentIds: string[]): Promise<void> {
    await this.call<unknown>({ method: 'POST', path: `/v2/batches/${seg(batchId)}/remove`, body: { shipment_ids: shipmentIds }, idempotent: false });
  }

  /**
   * POST /v2/batches/{batch_id}/process/labels (204): buys every label of the batch, in the
   * background. Never repeated by the transport (a lost answer is `possiblyCommitted`); the caller
   * records it before sending and never sends it twice for one batch.
   */
  async processBatch(batchId: string, body: SsProcessBatchRequest): Promise<void> {
    await this.call<unknown>({ method: 'POST', path: `/v2/batches/${seg(batchId)}/process/labels`, body, idempotent: false });
  }

  /** GET /v2/batches/{batch_id}/errors: one page of the shipments that failed (ShipStation's text, no code). */
  batchErrors(batchId: string, page: number, pageSize = SHIPSTATION_ERRORS_PAGE_SIZE): Promise<SsBatchErrorsAnswer> {
    return this.call<SsBatchErrorsAnswer>({ method: 'GET', path: `/v2/batches/${seg(batchId)}/errors`, query: { page, pagesize: pageSize } });
  }

  /** GET /v2/labels?batch_id=: one page of the labels the batch made, oldest first, label files by URL. */
  labelsOfBatch(batchId: string, page: number, pageSize = SHIPSTATION_LABELS_PAGE_SIZE): Promise<SsListLabelsAnswer> {
    return this.call<SsListLabelsAnswer>({
      method: 'GET',
      path: '/v2/labels',
      query: { batch_id: batchId, page, page_size: pageSize, sort_by: 'created_at', sort_dir: 'asc' },
    });
  }
}
