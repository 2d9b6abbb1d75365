import type { FakeAnswer, FakeHandler, FakeRequest } from '@shipbatch/providers/testing';
import type { FakeBatchState, FakeShipmentState } from './fake-shipstation.batch.state';
import { fakeLabelFileType } from './fake-shipstation.catalog';
import { notFound, shipStationError } from './fake-shipstation.errors';
import { presentLabel } from './fake-shipstation.labels';
import { sellShipment } from './fake-shipstation.sell';
import { pageLinks, pageOf } from './fake-shipstation.shipments';
import type { FakeShipStationState } from './fake-shipstation.state';

type Json = Record<string, unknown>;

const apiKeyOf = (req: FakeRequest) => req.headers['api-key'] as string;

export interface FakeShipStationBatchRuntime {
  baseUrl(): string;
  /**
   * Reads of a processed batch that still answer it in progress (`queued` first, then
   * `processing`); the next read finishes it: every label is bought then, in the batch's order.
   */
  processingReads: number;
}

/** Where the published description disagrees with ShipStation's documentation of batches (see the adapter's README). */
export const BATCH_REQUEST_DEVIATIONS = [
  {
    in: 'request' as const,
    operationId: 'create_batch',
    problem: /^body(\/external_batch_id)?: must (match pattern|NOT have more than 25 characters|match exactly one schema in oneOf)/,
    reason:
      "create_batch_request_body types external_batch_id as an se_id while every documented example is a UUID; and its oneOf's two branches (create, create and process) both take a body without process_labels",
  },
  {
    in: 'request' as const,
    operationId: 'create_shipments',
    problem: /^body\/shipments\/\d+: must have required property 'ship_from'$/,
    reason: "address_validating_shipment requires ship_from, while the description itself says 'either warehouse_id or ship_from must be specified' and batches require warehouse_id instead of ship_from",
  },
];

/** ShipStation answers `204 No Content` (its documentation) where the description declares a JSON body. */
export const BATCH_ANSWER_DEVIATIONS = ['add_to_batch', 'remove_from_batch', 'process_batch'].map((operationId) => ({
  in: 'answer' as const,
  operationId,
  problem: /^answer 204: has no body, the document declares application\/json$/,
  reason: 'ShipStation answers 204 No Content (documented for add, remove and process); the description gives the 204 an empty JSON body',
}));

/** ShipStation's text for a batch shipment refused for lack of funds (its documented example). */
const INSUFFICIENT_BALANCE = 'Insufficient account balance';

function presentBatch(b: FakeBatchState, baseUrl: string): Json {
  const completed = b.labelIds.length;
  return {
    label_layout: b.labelLayout,
    label_format: b.labelFormat,
    batch_id: b.batchId,
    batch_number: b.batchNumber,
    external_batch_id: b.externalBatchId,
    batch_notes: b.notes,
    created_at: b.createdAt.toISOString(),
    processed_at: b.processedAt ? b.processedAt.toISOString() : null,
    errors: b.errors.length,
    process_errors: [],
    warnings: 0,
    completed,
    forms: 0,
    count: completed + b.errors.length,
    batch_shipments_url: { href: `${baseUrl}/v2/shipments?batch_id=${b.batchId}` },
    batch_labels_url: { href: `${baseUrl}/v2/labels?batch_id=${b.batchId}` },
    batch_errors_url: { href: `${baseUrl}/v2/batches/${b.batchId}/errors` },
    label_download: {},
    form_download: {},
    paperless_download: {},
    status: b.status,
  };
}

/**
 * Batches: made of shipments that name one warehouse (created with `external_batch_id`, unique per
 * account; found again by it), changed while open (add, remove), processed once (a second
 * `process/labels` is refused, and every call is counted), then read: the status moves on with
 * each read (`queued`, `processing`, then `completed` or `completed_with_errors`), the labels are
 * bought in the batch's order against the balance, and what could not be bought is listed by
 * `/errors` with ShipStation's text. Labels are listed by batch.
 */
export function batchHandlers(state: FakeShipStationState, rt: FakeShipStationBatchRuntime): Record<string, FakeHandler> {
  const { book } = state;
  const cannotModify = (b: FakeBatchState): FakeAnswer =>
    shipStationError(400, { error_type: 'business_rules', error_code: 'batch_cannot_be_modified', field_name: 'batch_id', message: `Batch ${b.batchId} is ${b.status} and can no longer be changed.` });

  /** The shipments to put in a batch, or ShipStation's refusal (nothing changed). */
  const joining = (apiKey: string, b: Pick<FakeBatchState, 'batchId' | 'warehouseId'>, ids: string[]): FakeShipmentState[] | FakeAnswer => {
    const out: FakeShipmentState[] = [];
    let warehouseId = b.warehouseId;
    for (const id of ids) {
      const s = book.shipmentOf(apiKey, id);
      if (!s) return shipStationError(400, { error_type: 'validation', error_code: 'invalid_identifier', field_name: 'shipment_ids', message: `Shipment ${id} not found.` });
      if (!s.warehouseId) {
        return shipStationError(400, { error_type: 'business_rules', error_code: 'field_value_required', field_name: 'warehouse_id', message: `Shipment ${id} has no warehouse_id: the shipments of a batch must use a warehouse_id instead of ship_from.` });
      }
      warehouseId ??= s.warehouseId;
      if (s.warehouseId !== warehouseId) {
        return shipStationError(400, { error_type: 'business_rules', error_code: 'warehouse_conflict', field_name: 'warehouse_id', message: `Shipment ${id} ships from warehouse ${s.warehouseId}; every shipment of batch ${b.batchId} must ship from ${warehouseId}.` });
      }
      if (s.batchId && s.batchId !== b.batchId) return shipStationError(400, { error_type: 'business_rules', error_code: 'identifier_conflict', field_name: 'shipment_ids', message: `Shipment ${id} is in batch ${s.batchId} already.` });
      if (s.status !== 'pending') return shipStationError(400, { error_type: 'business_rules', error_code: 'invalid_status', field_name: 'shipment_ids', message: `Shipment ${id} is ${s.status}.` });
      out.push(s);
    }
    return out;
  };

  const join = (b: FakeBatchState, shipments: FakeShipmentState[]): void => {
    for (const s of shipments) {
      if (s.batchId === b.batchId) continue;
      s.batchId = b.batchId;
      b.shipmentIds.push(s.shipmentId);
      b.warehouseId ??= s.warehouseId;
    }
  };

  /** Buys every label of the batch, in its order, and lists what could not be bought. */
  const finish = (b: FakeBatchState): void => {
    const fileType = fakeLabelFileType(b.labelFormat, b.labelLayout) as string;
    for (const id of b.shipmentIds) {
      const s = book.shipments.get(id);
      if (!s || s.status === 'cancelled' || s.labelId) continue;
      s.status = 'pending';
      const carrier = state.carrierOf(s.apiKey, s.carrierId);
      const sold = carrier ? sellShipment(state, s, carrier, { labelFormat: b.labelFormat, labelLayout: b.labelLayout, fileType }, b.batchId) : undefined;
      if (sold && 'label' in sold) b.labelIds.push(sold.label.labelId);
      else {
        const error = !sold ? `carrier_id ${s.carrierId} is not a carrier of this account.` : sold.refused.error_code === 'insufficient_funds' ? INSUFFICIENT_BALANCE : sold.refused.message;
        b.errors.push({ error, shipmentId: s.shipmentId, externalShipmentId: s.externalShipmentId });
      }
    }
    b.status = b.errors.length > 0 ? 'completed_with_errors' : 'completed';
  };

  /** A read of the batch: a processed one moves on (see FakeShipStationBatchRuntime.processingReads). */
  const read = (b: FakeBatchState): FakeAnswer => {
    if (b.status === 'queued' || b.status === 'processing') {
      b.readsSinceProcess += 1;
      if (b.readsSinceProcess > rt.processingReads) finish(b);
      else if (b.readsSinceProcess > 1) b.status = 'processing';
    }
    return { status: 200, body: presentBatch(b, rt.baseUrl()) };
  };

  const batchFor = (req: FakeRequest) => book.batchOf(apiKeyOf(req), String(req.params.batch_id));
  const missing = (req: FakeRequest) => notFound(`Batch ${String(req.params.batch_id)}`);

  return {
    create_batch: (req) => {
      const apiKey = apiKeyOf(req);
      const body = req.body as Json;
      const externalBatchId = typeof body.external_batch_id === 'string' ? body.external_batch_id : null;
      if (externalBatchId !== null && book.batchByExternalId(apiKey, externalBatchId)) {
        return shipStationError(400, { error_type: 'validation', error_code: 'identifier_conflict', field_name: 'external_batch_id', message: `A batch with external_batch_id '${externalBatchId}' already exists.` });
      }
      const serial = state.nextSerial();
      const draft = { batchId: `se-${8000000 + serial}`, warehouseId: null };
      const shipments = joining(apiKey, draft, (body.shipment_ids as string[] | undefined) ?? []);
      if (!Array.isArray(shipments)) return shipments;
      const b: FakeBatchState = {
        ...draft,
        batchNumber: String(100000 + serial),
        apiKey,
        externalBatchId,
        notes: typeof body.batch_notes === 'string' ? body.batch_notes : null,
        createdAt: new Date(),
        processedAt: null,
        status: 'open',
        shipmentIds: [],
        labelFormat: 'pdf',
        labelLayout: '4x6',
        processCalls: 0,
        readsSinceProcess: 0,
        errors: [],
        labelIds: [],
      };
      join(b, shipments);
      book.addBatch(b);
      return { status: 200, body: presentBatch(b, rt.baseUrl()) };
    },
    get_batch_by_id: (req) => {
      const b = batchFor(req);
      return b ? read(b) : missing(req);
    },
    get_batch_by_external_id: (req) => {
      const id = String(req.params.external_batch_id);
      const b = book.batchByExternalId(apiKeyOf(req), id);
      return b ? read(b) : notFound(`Batch with external_batch_id ${id}`);
    },
    add_to_batch: (req) => {
      const b = batchFor(req);
      if (!b) return missing(req);
      if (b.status !== 'open') return cannotModify(b);
      const shipments = joining(b.apiKey, b, ((req.body as Json).shipment_ids as string[] | undefined) ?? []);
      if (!Array.isArray(shipments)) return shipments;
      join(b, shipments);
      return { status: 204 };
    },
    remove_from_batch: (req) => {
      const b = batchFor(req);
      if (!b) return missing(req);
      if (b.status !== 'open') return cannotModify(b);
      const ids = new Set(((req.body as Json).shipment_ids as string[] | undefined) ?? []);
      for (const id of ids) {
        const s = book.shipmentOf(b.apiKey, id);
        if (s && s.batchId === b.batchId) s.batchId = null;
      }
      b.shipmentIds = b.shipmentIds.filter((id) => !ids.has(id));
      if (b.shipmentIds.length === 0) b.warehouseId = null;
      return { status: 204 };
    },
    process_batch: (req) => {
      const b = batchFor(req);
      if (!b) return missing(req);
      b.processCalls += 1;
      if (b.status !== 'open') {
        return shipStationError(400, { error_type: 'business_rules', error_code: 'invalid_status', field_name: 'batch_id', message: `Batch ${b.batchId} has been processed already (status ${b.status}); a batch is processed once.` });
      }
      if (b.shipmentIds.length === 0) return shipStationError(400, { error_type: 'business_rules', error_code: 'invalid_status', field_name: 'batch_id', message: `Batch ${b.batchId} has no shipments.` });
      const body = (req.body ?? {}) as Json;
      const labelFormat = (body.label_format ?? 'pdf') as 'pdf' | 'png' | 'zpl';
      const labelLayout = String(body.label_layout ?? '4x6');
      if (!fakeLabelFileType(labelFormat, labelLayout) || !['4x6', 'letter'].includes(labelLayout)) {
        return shipStationError(400, { error_type: 'validation', error_code: 'invalid_field_value', field_name: 'label_layout', message: `label_layout '${labelLayout}' is not available for label_format '${labelFormat}' in a batch (4x6, or letter for pdf).` });
      }
      b.labelFormat = labelFormat;
      b.labelLayout = labelLayout;
      b.status = 'queued';
      b.processedAt = new Date();
      b.readsSinceProcess = 0;
      for (const id of b.shipmentIds) {
        const s = book.shipments.get(id);
        if (s && s.status === 'pending') s.status = 'processing';
      }
      return { status: 204 };
    },
    list_batch_errors: (req) => {
      const b = batchFor(req);
      if (!b) return missing(req);
      const page = Number(req.query.page ?? 1);
      const pageSize = Number(req.query.pagesize ?? 25);
      const { items, pages } = pageOf(b.errors, page, pageSize);
      const href = (p: number) => `${rt.baseUrl()}/v2/batches/${b.batchId}/errors?page=${p}&pagesize=${pageSize}`;
      const errors = items.map((e) => ({ error: e.error, shipment_id: e.shipmentId, ...(e.externalShipmentId !== null ? { external_shipment_id: e.externalShipmentId } : {}) }));
      return { status: 200, body: { errors, links: pageLinks(href, page, pages) } };
    },
    list_labels: (req) => {
      const apiKey = apiKeyOf(req);
      const q = req.query as Record<string, unknown>;
      const dir = q.sort_dir === 'asc' ? 1 : -1;
      const all = [...state.labels.values()]
        .filter((l) => l.apiKey === apiKey)
        .filter((l) => q.batch_id === undefined || l.batchId === q.batch_id)
        .filter((l) => q.carrier_id === undefined || l.carrierId === q.carrier_id)
        .filter((l) => q.shipment_id === undefined || l.shipmentId === q.shipment_id)
        .filter((l) => q.label_status === undefined || (l.voided ? 'voided' : 'completed') === q.label_status)
        .sort((a, b) => dir * (a.createdAt.getTime() - b.createdAt.getTime()) || dir * a.labelId.localeCompare(b.labelId, 'en', { numeric: true }));
      const page = Number(q.page ?? 1);
      const pageSize = Number(q.page_size ?? 25);
      const { items, pages } = pageOf(all, page, pageSize);
      const href = (p: number) => `${rt.baseUrl()}/v2/labels?page=${p}&page_size=${pageSize}${q.batch_id ? `&batch_id=${String(q.batch_id)}` : ''}`;
      return { status: 200, body: { labels: items.map((l) => presentLabel(l, rt.baseUrl())), total: all.length, page, pages, links: pageLinks(href, page, pages) } };
    },
  };
}
