import type { FakeHandler, FakeRequest } from '@shipbatch/providers/testing';
import type { FakeShipmentState, FakeWarehouseState } from './fake-shipstation.batch.state';
import { notFound } from './fake-shipstation.errors';
import type { FakeShipStationState } from './fake-shipstation.state';

type Json = Record<string, unknown>;

const apiKeyOf = (req: FakeRequest) => req.headers['api-key'] as string;

/** The sum of the packages' weights in the first package's unit. */
function totalWeight(packages: Json[]): Json {
  const first = packages[0]?.weight as Json | undefined;
  const unit = String(first?.unit ?? 'pound');
  const value = packages.reduce((n, p) => n + (String((p.weight as Json)?.unit) === unit ? Number((p.weight as Json).value) : 0), 0);
  return { value: Math.round(value * 10_000) / 10_000, unit };
}

/** A shipment as ShipStation answers it (got by external id, listed, created). */
export function presentShipment(s: FakeShipmentState): Json {
  return {
    shipment_id: s.shipmentId,
    carrier_id: s.carrierId,
    service_code: s.serviceCode,
    external_shipment_id: s.externalShipmentId,
    ship_date: s.shipDate,
    created_at: s.createdAt.toISOString(),
    modified_at: s.modifiedAt.toISOString(),
    shipment_status: s.status,
    ship_to: s.shipTo,
    ship_from: s.shipFrom,
    warehouse_id: s.warehouseId,
    return_to: s.returnTo,
    confirmation: 'none',
    customs: null,
    advanced_options: {},
    insurance_provider: 'none',
    tags: [],
    packages: s.packages,
    total_weight: totalWeight(s.packages),
  };
}

function presentWarehouse(w: FakeWarehouseState): Json {
  return { warehouse_id: w.warehouseId, is_default: w.isDefault, name: w.name, created_at: w.createdAt.toISOString(), origin_address: w.originAddress, return_address: w.returnAddress };
}

/** `page` links of a list answer (ShipStation's `pagination_link`). */
export function pageLinks(href: (page: number) => string, page: number, pages: number): Json {
  return {
    first: { href: href(1) },
    last: { href: href(pages) },
    prev: page > 1 ? { href: href(page - 1) } : {},
    next: page < pages ? { href: href(page + 1) } : {},
  };
}

/** One page of `items` (pages count from 1; a page past the end is empty). */
export function pageOf<T>(items: T[], page: number, pageSize: number): { items: T[]; pages: number } {
  const pages = Math.max(1, Math.ceil(items.length / pageSize));
  return { items: items.slice((page - 1) * pageSize, page * pageSize), pages };
}

/**
 * Shipments in bulk (`POST /v2/shipments`, external_shipment_id unique per account: a repeat is
 * that shipment's error, nothing made), found again (by external id, listed), and warehouses.
 */
export function shipmentHandlers(state: FakeShipStationState, baseUrl: () => string): Record<string, FakeHandler> {
  const { book } = state;

  const createOne = (apiKey: string, item: Json): Json => {
    const errors: string[] = [];
    const carrierId = String(item.carrier_id);
    const serviceCode = String(item.service_code);
    const externalShipmentId = typeof item.external_shipment_id === 'string' ? item.external_shipment_id : null;
    const carrier = state.carrierOf(apiKey, carrierId);
    if (!carrier) errors.push(`carrier_id ${carrierId} is not a carrier of this account.`);
    else if (!carrier.services.includes(serviceCode)) errors.push(`Service '${serviceCode}' is not offered by carrier ${carrierId} (${carrier.carrierCode}).`);
    const warehouse = typeof item.warehouse_id === 'string' ? book.warehouseOf(apiKey, item.warehouse_id) : undefined;
    if (typeof item.warehouse_id === 'string' && !warehouse) errors.push(`warehouse_id ${item.warehouse_id} is not a warehouse of this account.`);
    if (item.warehouse_id === undefined && !item.ship_from) errors.push('Either warehouse_id or ship_from must be specified.');
    if (externalShipmentId !== null && book.shipmentByExternalId(apiKey, externalShipmentId)) errors.push(`A shipment with external_shipment_id '${externalShipmentId}' already exists.`);
    if (errors.length) {
      const echo: Json = { carrier_id: item.carrier_id, service_code: item.service_code, ship_to: item.ship_to, errors };
      if (externalShipmentId !== null) echo.external_shipment_id = externalShipmentId;
      return echo;
    }
    const now = new Date();
    const shipFrom = warehouse ? warehouse.originAddress : (item.ship_from as Json);
    const shipment: FakeShipmentState = {
      shipmentId: `se-${500000 + state.nextSerial()}`,
      apiKey,
      carrierId,
      serviceCode,
      externalShipmentId,
      warehouseId: warehouse?.warehouseId ?? null,
      shipDate: typeof item.ship_date === 'string' ? item.ship_date : `${now.toISOString().slice(0, 10)}T00:00:00Z`,
      createdAt: now,
      modifiedAt: now,
      status: 'pending',
      shipTo: { ...(item.ship_to as Json) },
      shipFrom: { ...shipFrom },
      returnTo: { ...((item.return_to as Json | undefined) ?? warehouse?.returnAddress ?? shipFrom) },
      packages: (item.packages as Json[]).map((p) => ({ ...p })),
      batchId: null,
      labelId: null,
    };
    book.addShipment(shipment);
    return { ...presentShipment(shipment), errors: [] };
  };

  return {
    create_shipments: (req) => {
      const apiKey = apiKeyOf(req);
      const shipments = ((req.body as Json).shipments as Json[]).map((item) => createOne(apiKey, item));
      return { status: 200, body: { has_errors: shipments.some((s) => (s.errors as string[]).length > 0), shipments } };
    },
    get_shipment_by_external_id: (req) => {
      const id = String(req.params.external_shipment_id);
      const s = book.shipmentByExternalId(apiKeyOf(req), id);
      return s ? { status: 200, body: presentShipment(s) } : notFound(`Shipment with external_shipment_id ${id}`);
    },
    list_shipments: (req) => {
      const apiKey = apiKeyOf(req);
      const q = req.query as Record<string, unknown>;
      const since = typeof q.created_at_start === 'string' ? Date.parse(q.created_at_start) : undefined;
      const sortBy = q.sort_by === 'modified_at' ? 'modifiedAt' : 'createdAt';
      const dir = q.sort_dir === 'asc' ? 1 : -1;
      const all = [...book.shipments.values()]
        .filter((s) => s.apiKey === apiKey)
        .filter((s) => q.shipment_status === undefined || s.status === q.shipment_status)
        .filter((s) => q.batch_id === undefined || s.batchId === q.batch_id)
        .filter((s) => since === undefined || s.createdAt.getTime() >= since)
        .sort((a, b) => dir * (a[sortBy].getTime() - b[sortBy].getTime()) || dir * a.shipmentId.localeCompare(b.shipmentId, 'en', { numeric: true }));
      const page = Number(q.page ?? 1);
      const pageSize = Number(q.page_size ?? 25);
      const { items, pages } = pageOf(all, page, pageSize);
      const href = (p: number) => `${baseUrl()}/v2/shipments?page=${p}&page_size=${pageSize}`;
      return { status: 200, body: { shipments: items.map(presentShipment), total: all.length, page, pages, links: pageLinks(href, page, pages) } };
    },
    list_warehouses: (req) => ({ status: 200, body: { warehouses: book.warehousesOf(apiKeyOf(req)).map(presentWarehouse) } }),
    create_warehouse: (req) => {
      const apiKey = apiKeyOf(req);
      const body = req.body as Json;
      const origin = body.origin_address as Json;
      const warehouse: FakeWarehouseState = {
        warehouseId: `se-${7000000 + state.nextSerial()}`,
        apiKey,
        name: String(body.name),
        createdAt: new Date(),
        // "The first warehouse created on the account automatically becomes the default."
        isDefault: book.warehousesOf(apiKey).length === 0 || body.is_default === true,
        originAddress: { ...origin },
        returnAddress: { ...((body.return_address as Json | undefined) ?? origin) },
      };
      if (warehouse.isDefault) for (const w of book.warehousesOf(apiKey)) w.isDefault = false;
      book.warehouses.set(warehouse.warehouseId, warehouse);
      return { status: 200, body: presentWarehouse(warehouse) };
    },
  };
}
