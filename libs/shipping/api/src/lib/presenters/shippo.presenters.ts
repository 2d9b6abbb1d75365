import type { Balance } from '@shipbatch/providers/core';
import type {
  AddressRecord,
  BatchDetails,
  BatchShipmentView,
  CarrierAccountRecord,
  FundingEventRecord,
  LabelRecord,
  Page,
  ParcelRecord,
  ShipmentRecord,
} from '@shipbatch/shipping/application';
import { type Batch, BatchCounts, Money } from '@shipbatch/shipping/domain';

const iso = (d: Date | null | undefined) => (d ? new Date(d).toISOString() : null);

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

/**
 * One page of a Shippo list route: `{count, next, previous, results}`, the links absolute and
 * keeping the page size and filters (`query`) of this request.
 */
export function shippoPage<T, R>(
  page: Page<T>,
  options: { baseUrl: string; path: string; page: number; results: number; query?: Record<string, string | undefined> },
  present: (item: T) => R,
) {
  const link = (p: number) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) q.set(k, v);
    q.set('page', String(p));
    q.set('results', String(options.results));
    return `${options.baseUrl}${options.path}?${q}`;
  };
  const pages = Math.ceil(page.total / options.results);
  return {
    count: page.total,
    next: options.page < pages ? link(options.page + 1) : null,
    previous: options.page > 1 ? link(Math.min(options.page - 1, Math.max(pages, 1))) : null,
    results: page.items.map(present),
  };
}

export function presentAddress(a: AddressRecord) {
  const complete = Boolean(a.street1 && a.city && a.zip && a.country);
  return {
    object_id: a.id,
    object_owner: a.tenantId,
    object_created: iso(a.createdAt),
    object_updated: iso(a.updatedAt),
    is_complete: complete,
    name: a.name ?? '',
    company: a.company ?? '',
    street1: a.street1 ?? '',
    street2: a.street2 ?? '',
    street3: a.street3 ?? '',
    city: a.city ?? '',
    state: a.state ?? '',
    zip: a.zip ?? '',
    country: a.country ?? '',
    phone: a.phone ?? '',
    email: a.email ?? '',
    is_residential: a.is_residential ?? null,
    metadata: a.metadata ?? '',
    test: false,
    validation_results: {},
  };
}

export function presentParcel(p: ParcelRecord) {
  return {
    object_id: p.id,
    object_owner: p.tenantId,
    object_state: 'VALID',
    object_created: iso(p.createdAt),
    object_updated: iso(p.updatedAt),
    length: p.length,
    width: p.width,
    height: p.height,
    distance_unit: p.distance_unit,
    weight: p.weight,
    mass_unit: p.mass_unit,
    metadata: p.metadata ?? '',
    test: false,
  };
}

/**
 * Shippo's shipment object for a shipment validation stored. Shipbatch rates nothing before
 * purchase, so `rates` is empty, and `status` is SUCCESS (the shipment exists and is complete).
 */
export function presentShipment(s: ShipmentRecord) {
  return {
    object_id: s.id,
    object_owner: s.tenantId,
    object_created: iso(s.createdAt),
    object_updated: iso(s.createdAt),
    status: 'SUCCESS',
    address_from: s.addressFrom ? presentAddress(s.addressFrom) : null,
    address_to: s.addressTo ? presentAddress(s.addressTo) : null,
    address_return: s.addressReturn ? presentAddress(s.addressReturn) : null,
    parcels: s.parcels.map(presentParcel),
    shipment_date: iso(s.shipmentDate),
    extra: {},
    customs_declaration: null,
    carrier_accounts: [],
    rates: [],
    messages: [],
    metadata: s.metadata,
    test: false,
  };
}

/** Credentials are never returned. */
export function presentCarrierAccount(a: CarrierAccountRecord) {
  return {
    object_id: a.id,
    object_owner: a.tenantId,
    object_created: iso(a.createdAt),
    object_updated: iso(a.updatedAt),
    provider: a.provider,
    carrier: a.carrier,
    account_id: a.accountId,
    active: a.active,
    test: a.test,
    metadata: a.metadata,
    funding: {
      enabled: a.funding.enabled,
      min_balance: Money.ofMinor(a.funding.minBalanceMinor).major,
      top_up_amount: Money.ofMinor(a.funding.topUpAmountMinor).major,
      daily_cap: Money.ofMinor(a.funding.dailyCapMinor).major,
    },
  };
}

const amountOf = (minor: number | null, currency: string) =>
  minor === null ? null : { currency: currency.toLowerCase(), amount: Money.ofMinor(minor).major };

/** One top-up of a prepaid balance (`GET /carrier_accounts/{id}/funding_events`). */
export function presentFundingEvent(e: FundingEventRecord) {
  return {
    object_id: e.id,
    carrier_account: e.carrierAccountId,
    amount: amountOf(e.amountMinor, e.currency),
    balance_before: amountOf(e.balanceBeforeMinor, e.currency),
    balance_after: amountOf(e.balanceAfterMinor, e.currency),
    reason: e.reason,
    status: e.status,
    message: e.message,
    object_created: iso(e.createdAt),
  };
}

export function presentBalance(balance: Balance) {
  return { currency: balance.amount.currency.toLowerCase(), amount: Money.ofMinor(balance.amount.amountMinor).major };
}

/** Shippo's transaction object for a bought label. */
/** `download` is the link signed at read time (LabelQueriesService.view); links expire, keys do not. */
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
