import type { FakeAnswer, FakeHandler, FakeRequest } from '@shipbatch/providers/testing';
import { shippoDetail, shippoError } from './fake-shippo.errors';
import { purchaseMessages, sell } from './fake-shippo.sales';
import { type FakeShippoBatch, type FakeShippoBatchShipment, type FakeShippoState, newShippoId } from './fake-shippo.state';
import { type FakeShippoRuntime, tokenOf } from './fake-shippo.transactions';

type Json = Record<string, unknown>;

const BATCH_PAGE_SIZE = 100;
const OBJECT_RESULTS = ['creation_failed', 'creation_succeeded', 'purchase_succeeded', 'purchase_failed'] as const;

export interface FakeShippoBatchRuntime extends FakeShippoRuntime {
  /** GETs of a batch that still answer VALIDATING (after create) or PURCHASING (after purchase). */
  batchPendingReads: number;
}

function matchesResult(s: FakeShippoBatchShipment, filter: string | undefined): boolean {
  if (filter === 'creation_failed') return s.status === 'INVALID';
  if (filter === 'creation_succeeded') return s.status !== 'INVALID';
  if (filter === 'purchase_succeeded') return s.transaction !== undefined;
  if (filter === 'purchase_failed') return s.status === 'TRANSACTION_FAILED';
  return true;
}

function presentShipment(s: FakeShippoBatchShipment): Json {
  const out: Json = { object_id: s.objectId, shipment: s.shipmentId, status: s.status, messages: s.messages, metadata: s.metadata ?? '' };
  if (s.carrierAccount) out.carrier_account = s.carrierAccount;
  if (s.servicelevel) out.servicelevel_token = s.servicelevel;
  if (s.transaction) out.transaction = s.transaction;
  return out;
}

/** The batch as Shippo answers it, its shipments 100 a page (`page`, filtered by `object_results`). */
function presentBatch(b: FakeShippoBatch, rt: FakeShippoRuntime, query: { page?: number; objectResults?: string } = {}): Json {
  const filtered = b.shipments.filter((s) => matchesResult(s, query.objectResults));
  const page = Math.max(1, query.page ?? 1);
  const results = filtered.slice((page - 1) * BATCH_PAGE_SIZE, page * BATCH_PAGE_SIZE);
  const link = (p: number) => `${rt.baseUrl()}/batches/${b.objectId}?page=${p}${query.objectResults ? `&object_results=${query.objectResults}` : ''}`;
  const list: Json = { count: filtered.length, results: results.map(presentShipment) };
  if (page * BATCH_PAGE_SIZE < filtered.length) list.next = link(page + 1);
  if (page > 1) list.previous = link(page - 1);
  const all = b.shipments;
  const out: Json = {
    object_id: b.objectId,
    object_owner: rt.owner,
    status: b.status,
    object_created: b.createdAt.toISOString(),
    object_updated: b.updatedAt.toISOString(),
    default_carrier_account: b.defaultCarrierAccount,
    default_servicelevel_token: b.defaultServicelevel,
    batch_shipments: list,
    object_results: {
      creation_succeeded: all.filter((s) => s.status !== 'INVALID').length,
      creation_failed: all.filter((s) => s.status === 'INVALID').length,
      purchase_succeeded: all.filter((s) => s.transaction !== undefined).length,
      purchase_failed: all.filter((s) => s.status === 'TRANSACTION_FAILED').length,
    },
    label_url: [],
    test: true,
  };
  if (b.metadata !== undefined) out.metadata = b.metadata;
  if (b.labelFiletype) out.label_filetype = b.labelFiletype;
  return out;
}

/** Handlers for batches: create (validated in the background), read, remove shipments, purchase (once). */
export function batchHandlers(state: FakeShippoState, rt: FakeShippoBatchRuntime): Record<string, FakeHandler> {
  const batchFor = (req: FakeRequest) => state.batchOf(tokenOf(req), String(req.params.BatchId));
  const notFound = (req: FakeRequest): FakeAnswer => shippoDetail(404, `Batch ${String(req.params.BatchId)} not found.`);
  const settle = (b: FakeShippoBatch) => {
    b.status = b.shipments.some((s) => s.status === 'INVALID') ? 'INVALID' : 'VALID';
    b.updatedAt = new Date();
  };

  const createBatch: FakeHandler = (req) => {
    const token = tokenOf(req);
    const body = req.body as Json;
    const defaults = { carrierAccount: String(body.default_carrier_account), servicelevel: String(body.default_servicelevel_token) };
    if (!state.carrierAccountOf(token, defaults.carrierAccount)) {
      return shippoError(400, { default_carrier_account: [`Carrier account '${defaults.carrierAccount}' is not a carrier account of this Shippo account.`] });
    }
    const input = body.batch_shipments as Json[];
    if (input.length > 10_000) return shippoError(400, { batch_shipments: [`A batch holds at most 10000 shipments (got ${input.length}).`] });
    const now = new Date();
    const validated: FakeShippoBatchShipment[] = input.map((bs) => {
      const carrierAccount = typeof bs.carrier_account === 'string' ? bs.carrier_account : undefined;
      const servicelevel = typeof bs.servicelevel_token === 'string' ? bs.servicelevel_token : undefined;
      const shipment = bs.shipment as Json;
      const { messages } = purchaseMessages(state, token, carrierAccount ?? defaults.carrierAccount, servicelevel ?? defaults.servicelevel, shipment);
      const metadata = typeof bs.metadata === 'string' ? bs.metadata : undefined;
      const armed = metadata === undefined ? undefined : state.invalidating.get(metadata);
      if (armed !== undefined) messages.push({ source: 'USPS', code: 'address_not_found', text: armed });
      return {
        objectId: newShippoId(),
        shipmentId: newShippoId(),
        metadata,
        carrierAccount,
        servicelevel,
        status: messages.length ? 'INVALID' : 'VALID',
        messages,
        shipment,
      };
    });
    const batch: FakeShippoBatch = {
      objectId: newShippoId(),
      token,
      status: 'VALIDATING',
      createdAt: now,
      updatedAt: now,
      metadata: typeof body.metadata === 'string' ? body.metadata : undefined,
      defaultCarrierAccount: defaults.carrierAccount,
      defaultServicelevel: defaults.servicelevel,
      labelFiletype: typeof body.label_filetype === 'string' ? body.label_filetype : undefined,
      shipments: [],
      validated,
      pendingReads: rt.batchPendingReads,
      purchaseCalls: 0,
    };
    state.batches.set(batch.objectId, batch);
    return { status: 201, body: presentBatch(batch, rt) };
  };

  const getBatch: FakeHandler = (req) => {
    const b = batchFor(req);
    if (!b) return notFound(req);
    if (b.status === 'VALIDATING' || b.status === 'PURCHASING') {
      if (b.pendingReads > 0) {
        b.pendingReads -= 1;
      } else if (b.status === 'VALIDATING') {
        b.shipments = b.validated;
        settle(b);
      } else {
        b.status = 'PURCHASED';
        b.updatedAt = new Date();
      }
    }
    const objectResults = typeof req.query.object_results === 'string' ? req.query.object_results : undefined;
    if (objectResults && !(OBJECT_RESULTS as readonly string[]).includes(objectResults)) {
      return shippoError(400, { object_results: [`'${objectResults}' is not one of ${OBJECT_RESULTS.join(', ')}.`] });
    }
    return { status: 200, body: presentBatch(b, rt, { page: Number(req.query.page ?? 1) || 1, objectResults }) };
  };

  const removeShipments: FakeHandler = (req) => {
    const b = batchFor(req);
    if (!b) return notFound(req);
    if (b.status !== 'VALID' && b.status !== 'INVALID') return shippoDetail(400, `Shipments can only be removed from a VALID or INVALID batch (this one is ${b.status}).`);
    const ids = req.body as string[];
    const unknown = ids.filter((id) => !b.shipments.some((s) => s.objectId === id));
    if (unknown.length) return shippoError(400, { batch_shipments: [`Batch shipments not in this batch: ${unknown.join(', ')}.`] });
    b.shipments = b.shipments.filter((s) => !ids.includes(s.objectId));
    settle(b);
    return { status: 200, body: presentBatch(b, rt) };
  };

  const purchaseBatch: FakeHandler = (req) => {
    const b = batchFor(req);
    if (!b) return notFound(req);
    b.purchaseCalls += 1;
    if (b.status === 'PURCHASING' || b.status === 'PURCHASED') return shippoDetail(400, `Batch ${b.objectId} has already been purchased (${b.status}).`);
    if (b.status !== 'VALID') return shippoDetail(400, `Only VALID batches can be purchased (this one is ${b.status}).`);
    // Every label is bought in this one step (the answer lost or not); the batch shows PURCHASED after its pending reads.
    for (const s of b.shipments) {
      const t = sell(state, {
        token: b.token,
        carrierAccount: s.carrierAccount ?? b.defaultCarrierAccount,
        servicelevel: s.servicelevel ?? b.defaultServicelevel,
        labelFileType: b.labelFiletype ?? 'PDF_4x6',
        metadata: s.metadata ?? '',
        shipment: s.shipment,
        via: 'batch',
        batchId: b.objectId,
      });
      if (t.status === 'ERROR') {
        s.status = 'TRANSACTION_FAILED';
        s.messages = t.messages;
      } else {
        s.transaction = t.objectId;
      }
    }
    b.status = 'PURCHASING';
    b.pendingReads = rt.batchPendingReads;
    b.updatedAt = new Date();
    return { status: 202, body: presentBatch(b, rt) };
  };

  return { CreateBatch: createBatch, GetBatch: getBatch, RemoveShipmentsFromBatch: removeShipments, PurchaseBatch: purchaseBatch };
}
