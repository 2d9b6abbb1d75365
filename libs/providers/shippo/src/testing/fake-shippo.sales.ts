import { FAKE_SHIPPO_PROVIDER_NAMES, FAKE_SHIPPO_SERVICE_LEVELS, fakeShippoTrackingNumber } from './fake-shippo.catalog';
import type { FakeShippoMessage } from './fake-shippo.errors';
import { type FakeShippoCarrierAccount, type FakeShippoRate, type FakeShippoState, type FakeShippoTransaction, newShippoId } from './fake-shippo.state';

type Json = Record<string, unknown>;

const ZIP = /^\d{5}(-?\d{4})?$/;
const text = (v: unknown): string => (typeof v === 'string' ? v.trim() : '');

function addressMessages(side: 'address_from' | 'address_to', a: unknown, source: string): FakeShippoMessage[] {
  if (typeof a === 'string') return [{ source: 'Shippo', code: 'address_id_unsupported', text: `${side}: this fake takes addresses inline, not by object id ('${a}').` }];
  const address = (a ?? {}) as Json;
  const out: FakeShippoMessage[] = [];
  const country = text(address.country).toUpperCase();
  const required = ['name', 'street1', 'city', 'zip', 'country', ...(['US', 'CA', 'AU'].includes(country) ? ['state'] : [])];
  for (const field of required) {
    if (!text(address[field])) out.push({ source: 'Shippo', code: 'address_incomplete', text: `${side}.${field} is required for purchase.` });
  }
  if (country === 'US' && text(address.zip) && !ZIP.test(text(address.zip))) {
    out.push({ source, code: 'invalid_postal_code', text: `${side}.zip '${text(address.zip)}' is not a valid US ZIP code.` });
  }
  return out;
}

function parcelMessages(parcels: unknown): FakeShippoMessage[] {
  const list = Array.isArray(parcels) ? parcels : [];
  if (list.length === 0) return [{ source: 'Shippo', code: 'parcel_missing', text: 'At least one parcel is required.' }];
  const out: FakeShippoMessage[] = [];
  list.forEach((p, i) => {
    if (typeof p === 'string') {
      out.push({ source: 'Shippo', code: 'parcel_id_unsupported', text: `parcels[${i}]: this fake takes parcels inline, not by object id.` });
      return;
    }
    for (const key of ['length', 'width', 'height', 'weight']) {
      const n = Number((p as Json)[key]);
      if (!(Number.isFinite(n) && n > 0)) out.push({ source: 'Shippo', code: 'parcel_invalid', text: `parcels[${i}].${key} must be a positive number.` });
    }
  });
  return out;
}

/** Why Shippo would not sell this label (empty when it would): the carrier account, the service level, the shipment. */
export function purchaseMessages(state: FakeShippoState, token: string, carrierAccountId: string | undefined, servicelevel: string | undefined, shipment: Json): { account?: FakeShippoCarrierAccount; messages: FakeShippoMessage[] } {
  const account = state.carrierAccountOf(token, carrierAccountId);
  const messages: FakeShippoMessage[] = [];
  if (!account) {
    messages.push({ source: 'Shippo', code: 'carrier_account_invalid', text: `Carrier account '${carrierAccountId ?? ''}' is not a carrier account of this Shippo account.` });
  } else if (!servicelevel || !account.serviceLevels.includes(servicelevel)) {
    messages.push({ source: FAKE_SHIPPO_PROVIDER_NAMES[account.carrier], code: 'servicelevel_unavailable', text: `Service level '${servicelevel ?? ''}' is not available for ${account.carrier} carrier account ${account.objectId} (offered: ${account.serviceLevels.join(', ')}).` });
  }
  const source = account ? FAKE_SHIPPO_PROVIDER_NAMES[account.carrier] : 'Shippo';
  messages.push(...addressMessages('address_from', shipment.address_from, source), ...addressMessages('address_to', shipment.address_to, source), ...parcelMessages(shipment.parcels));
  return { account, messages };
}

export interface SellInput {
  token: string;
  carrierAccount: string;
  servicelevel: string;
  labelFileType: string;
  metadata: string;
  shipment: Json;
  via: 'transaction' | 'batch';
  batchId?: string;
  /** GETs before a QUEUED transaction shows SUCCESS; 0: SUCCESS at once. */
  queuedPolls?: number;
}

/**
 * Makes one transaction: ERROR with Shippo's messages when the label cannot be sold (or a
 * failure was armed for this metadata), else a sold label (SUCCESS, or QUEUED for a few polls)
 * with its rate. Synchronous: concurrent purchases cannot interleave.
 */
export function sell(state: FakeShippoState, input: SellInput): FakeShippoTransaction {
  const { account, messages } = purchaseMessages(state, input.token, input.carrierAccount, input.servicelevel, input.shipment);
  const armed = state.failing.get(input.metadata);
  if (armed !== undefined && messages.length === 0) {
    state.failing.delete(input.metadata);
    messages.push({ source: account ? FAKE_SHIPPO_PROVIDER_NAMES[account.carrier] : 'Shippo', code: 'carrier_error', text: armed });
  }
  const serial = state.nextSerial();
  const now = new Date();
  const ok = messages.length === 0 && account !== undefined;
  let rate: FakeShippoRate | undefined;
  if (ok && account) {
    rate = {
      objectId: newShippoId(),
      token: input.token,
      shipmentId: newShippoId(),
      carrierAccount: account.objectId,
      carrier: account.carrier,
      servicelevel: input.servicelevel,
      amountCents: FAKE_SHIPPO_SERVICE_LEVELS[account.carrier][input.servicelevel].priceCents,
      createdAt: now,
    };
    state.rates.set(rate.objectId, rate);
  }
  const queued = ok && (input.queuedPolls ?? 0) > 0;
  const transaction: FakeShippoTransaction = {
    objectId: newShippoId(),
    token: input.token,
    status: !ok ? 'ERROR' : queued ? 'QUEUED' : 'SUCCESS',
    pollsLeft: queued ? (input.queuedPolls as number) : 0,
    createdAt: now,
    updatedAt: now,
    metadata: input.metadata,
    carrierAccount: input.carrierAccount,
    carrier: account?.carrier ?? 'usps',
    servicelevel: input.servicelevel,
    labelFileType: input.labelFileType,
    rate,
    trackingNumber: ok && account ? fakeShippoTrackingNumber(account.carrier, serial) : '',
    messages,
    sold: ok,
    via: input.via,
    batchId: input.batchId,
    refunded: false,
    shipment: input.shipment,
  };
  state.transactions.set(transaction.objectId, transaction);
  return transaction;
}

/** Shippo's `CoreRate`: the simplified rate an instant transaction's answer carries. */
export function presentCoreRate(rate: FakeShippoRate): Json {
  const amount = (rate.amountCents / 100).toFixed(2);
  return {
    object_id: rate.objectId,
    amount,
    currency: 'USD',
    amount_local: amount,
    currency_local: 'USD',
    provider: FAKE_SHIPPO_PROVIDER_NAMES[rate.carrier],
    carrier_account: rate.carrierAccount,
    servicelevel_name: FAKE_SHIPPO_SERVICE_LEVELS[rate.carrier][rate.servicelevel].name,
    servicelevel_token: rate.servicelevel,
  };
}

/** Shippo's `Rate` (GET /rates/{id}). */
export function presentRate(rate: FakeShippoRate, owner: string): Json {
  const core = presentCoreRate(rate);
  return {
    object_id: rate.objectId,
    object_created: rate.createdAt.toISOString(),
    object_owner: owner,
    shipment: rate.shipmentId,
    attributes: [],
    amount: core.amount,
    currency: 'USD',
    amount_local: core.amount,
    currency_local: 'USD',
    provider: core.provider,
    servicelevel: { name: core.servicelevel_name, token: rate.servicelevel },
    carrier_account: rate.carrierAccount,
    messages: [],
    test: true,
  };
}

const LABELED: ReadonlySet<string> = new Set(['SUCCESS', 'REFUNDED', 'REFUNDPENDING']);

/**
 * A transaction as Shippo answers it. `rate` is the simplified rate object on the answer to
 * the purchase, and the rate's object id on reads (as Shippo does).
 */
export function presentTransaction(t: FakeShippoTransaction, baseUrl: string, owner: string, options: { rateObject?: boolean } = {}): Json {
  const labeled = LABELED.has(t.status);
  const ext = t.labelFileType.startsWith('PNG') ? 'png' : t.labelFileType === 'ZPLII' ? 'zpl' : 'pdf';
  const out: Json = {
    object_id: t.objectId,
    object_owner: owner,
    object_state: t.status === 'ERROR' ? 'INVALID' : 'VALID',
    object_created: t.createdAt.toISOString(),
    object_updated: t.updatedAt.toISOString(),
    status: t.status,
    metadata: t.metadata,
    test: true,
    label_file_type: t.labelFileType,
    tracking_number: labeled ? t.trackingNumber : '',
    label_url: labeled ? `${baseUrl}/labels/${t.objectId}.${ext}` : '',
    tracking_url_provider: labeled ? `https://tracking.example/${t.carrier}/${t.trackingNumber}` : '',
    messages: t.messages,
    created_by: null,
  };
  if (t.rate) out.rate = options.rateObject ? presentCoreRate(t.rate) : t.rate.objectId;
  return out;
}
