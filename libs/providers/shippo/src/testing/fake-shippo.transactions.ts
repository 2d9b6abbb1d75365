import { type FakeAnswer, type FakeExtraRoute, type FakeHandler, type FakeRequest, renderFakeLabel } from '@shipbatch/providers/testing';
import { FAKE_SHIPPO_SERVICE_LEVELS, fakeShippoLabelFormat } from './fake-shippo.catalog';
import { shippoDetail, shippoError } from './fake-shippo.errors';
import { presentRate, presentTransaction, sell } from './fake-shippo.sales';
import { type FakeShippoState, newShippoId } from './fake-shippo.state';

type Json = Record<string, unknown>;

/** What the handlers share with the fake: its URL, its owner name and the knobs a test turns. */
export interface FakeShippoRuntime {
  baseUrl(): string;
  owner: string;
  /** The next `left` single purchases answer QUEUED and show SUCCESS after `polls` GETs. */
  queued: { left: number; polls: number };
  refundStatus: 'QUEUED' | 'SUCCESS';
}

export const tokenOf = (req: FakeRequest): string => String(/^ShippoToken\s+(\S+)$/.exec(req.headers['authorization'] ?? '')?.[1] ?? '');

const PAGE_SIZE_MAX = 100;

function pageOf(req: FakeRequest, defaultSize: number): { page: number; size: number } {
  const page = Math.max(1, Math.floor(Number(req.query.page ?? 1)) || 1);
  const size = Math.min(PAGE_SIZE_MAX, Math.max(1, Math.floor(Number(req.query.results ?? defaultSize)) || defaultSize));
  return { page, size };
}

/** Handlers for transactions (instant purchase, read, list), rates, refunds, and the label file route. */
export function transactionHandlers(state: FakeShippoState, rt: FakeShippoRuntime): { handlers: Record<string, FakeHandler>; download: FakeExtraRoute } {
  const notFound = (what: string): FakeAnswer => shippoDetail(404, `${what} not found.`);

  const createTransaction: FakeHandler = (req) => {
    const body = req.body as Json;
    if (typeof body.rate === 'string') return shippoError(400, { rate: ['This fake sells instant transactions only (shipment, carrier_account, servicelevel_token).'] });
    const queuedPolls = rt.queued.left > 0 ? rt.queued.polls : 0;
    const t = sell(state, {
      token: tokenOf(req),
      carrierAccount: String(body.carrier_account),
      servicelevel: String(body.servicelevel_token),
      labelFileType: typeof body.label_file_type === 'string' ? body.label_file_type : 'PDF_4x6',
      metadata: typeof body.metadata === 'string' ? body.metadata : '',
      shipment: body.shipment as Json,
      via: 'transaction',
      queuedPolls,
    });
    if (t.status === 'QUEUED') rt.queued.left -= 1;
    return { status: 201, body: presentTransaction(t, rt.baseUrl(), rt.owner, { rateObject: true }) };
  };

  const getTransaction: FakeHandler = (req) => {
    const t = state.transactionOf(tokenOf(req), String(req.params.TransactionId));
    if (!t) return notFound(`Transaction ${String(req.params.TransactionId)}`);
    if (t.status === 'QUEUED') {
      t.pollsLeft -= 1;
      if (t.pollsLeft <= 0) {
        t.status = 'SUCCESS';
        t.updatedAt = new Date();
      }
    }
    return { status: 200, body: presentTransaction(t, rt.baseUrl(), rt.owner) };
  };

  const listTransactions: FakeHandler = (req) => {
    const token = tokenOf(req);
    const { page, size } = pageOf(req, 25);
    const status = typeof req.query.object_status === 'string' ? req.query.object_status : undefined;
    const all = [...state.transactions.values()].filter((t) => t.token === token && (!status || t.status === status)).reverse();
    const slice = all.slice((page - 1) * size, page * size);
    const link = (p: number) => `${rt.baseUrl()}/transactions?page=${p}&results=${size}${status ? `&object_status=${status}` : ''}`;
    const out: Json = { results: slice.map((t) => presentTransaction(t, rt.baseUrl(), rt.owner)), count: all.length };
    if (page * size < all.length) out.next = link(page + 1);
    if (page > 1) out.previous = link(page - 1);
    return { status: 200, body: out };
  };

  const getRate: FakeHandler = (req) => {
    const rate = state.rates.get(String(req.params.RateId));
    if (!rate || rate.token !== tokenOf(req)) return notFound(`Rate ${String(req.params.RateId)}`);
    return { status: 200, body: presentRate(rate, rt.owner) };
  };

  const createRefund: FakeHandler = (req) => {
    const id = String((req.body as Json).transaction);
    const t = state.transactionOf(tokenOf(req), id);
    if (!t) return shippoError(400, { transaction: [`Transaction with object_id '${id}' does not exist.`] });
    if (t.refunded || state.refunds.has(id)) return shippoError(400, { transaction: ['A refund for this transaction already exists.'] });
    if (t.status !== 'SUCCESS') return shippoError(400, { transaction: [`Only transactions with status SUCCESS can be refunded (this one is ${t.status}).`] });
    const now = new Date();
    const refundId = newShippoId();
    t.refunded = true;
    t.status = rt.refundStatus === 'SUCCESS' ? 'REFUNDED' : 'REFUNDPENDING';
    t.updatedAt = now;
    state.refunds.set(id, refundId);
    return {
      status: 201,
      body: { object_id: refundId, object_owner: rt.owner, object_created: now.toISOString(), object_updated: now.toISOString(), status: rt.refundStatus, test: true, transaction: id },
    };
  };

  const download: FakeExtraRoute = {
    id: 'download_label_file',
    method: 'GET',
    path: /^\/labels\/(?<id>[0-9a-f]{32})\.(?<ext>pdf|png|zpl)$/,
    handler: async (req): Promise<FakeAnswer> => {
      const t = state.transactions.get(String(req.params.id));
      const { format, layout } = fakeShippoLabelFormat(t?.labelFileType ?? '');
      if (!t || !t.sold || t.status === 'QUEUED' || format !== req.params.ext) return { status: 404, body: { detail: 'Not found.' } };
      const to = (typeof t.shipment.address_to === 'object' ? t.shipment.address_to : {}) as Json;
      const parcel = (Array.isArray(t.shipment.parcels) ? t.shipment.parcels[0] : {}) as Json;
      t.document ??= renderFakeLabel(format, layout, {
        trackingNumber: t.trackingNumber,
        lines: [
          `${t.carrier.toUpperCase()} ${FAKE_SHIPPO_SERVICE_LEVELS[t.carrier][t.servicelevel]?.name ?? t.servicelevel}`,
          `SHIP TO: ${String(to.name ?? '')}`,
          `${String(to.city ?? '')} ${String(to.state ?? '')} ${String(to.zip ?? '')}`.trim(),
          parcel?.weight ? `${String(parcel.weight)} ${String(parcel.mass_unit ?? '')}`.trim() : '',
        ].filter(Boolean),
      });
      return { status: 200, raw: await t.document };
    },
  };

  return {
    handlers: { CreateTransaction: createTransaction, GetTransaction: getTransaction, ListTransactions: listTransactions, GetRate: getRate, CreateRefund: createRefund },
    download,
  };
}
