import { type FakeAnswer, type FakeHandler, type FakeRequest, renderFakeLabel } from '@shipbatch/providers/testing';
import { fakeShipStationV1Error, fakeShipStationV1Refusal } from './fake-shipstation-v1.errors';
import type { FakeShipStationV1Order, FakeShipStationV1Sale, FakeShipStationV1State } from './fake-shipstation-v1.state';

/** The API key the request authenticated with (the `before` hook has checked the pair). */
export function apiKeyOf(req: { headers: Record<string, string | undefined> }): string | undefined {
  const m = /^Basic\s+(\S+)$/i.exec(req.headers['authorization'] ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? decoded.slice(0, colon) : undefined;
}

/** `2026-12-07T08:46:27.0000000`: now in Pacific time without a zone, as v1 writes dates. */
function pacificNow(): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date())
      .map((x) => [x.type, x.value]),
  );
  return `${p['year']}-${p['month']}-${p['day']}T${p['hour']}:${p['minute']}:${p['second']}.0000000`;
}

const ok = (body: unknown): FakeAnswer => ({ status: 200, body });

function orderView(o: FakeShipStationV1Order): Record<string, unknown> {
  const r = o.request;
  return {
    orderId: o.orderId,
    orderNumber: o.orderNumber,
    orderKey: o.orderKey,
    orderDate: o.orderDate,
    createDate: o.createDate,
    modifyDate: o.modifyDate,
    orderStatus: o.orderStatus,
    billTo: r['billTo'],
    shipTo: r['shipTo'],
    carrierCode: r['carrierCode'] ?? null,
    serviceCode: r['serviceCode'] ?? null,
    packageCode: r['packageCode'] ?? null,
    confirmation: r['confirmation'] ?? 'none',
    shipDate: r['shipDate'] ?? null,
    ...(r['weight'] ? { weight: r['weight'] } : {}),
    ...(r['dimensions'] ? { dimensions: r['dimensions'] } : {}),
  };
}

function shipmentView(s: FakeShipStationV1Sale, order: FakeShipStationV1Order | undefined, labelData: string | null): Record<string, unknown> {
  return {
    shipmentId: s.shipmentId,
    orderId: s.orderId,
    orderKey: s.orderKey,
    orderNumber: s.orderNumber,
    createDate: s.createDate,
    shipDate: s.shipDate,
    shipmentCost: s.cost,
    insuranceCost: 0,
    trackingNumber: s.trackingNumber,
    isReturnLabel: false,
    batchNumber: null,
    carrierCode: s.carrierCode,
    serviceCode: s.serviceCode,
    packageCode: 'package',
    confirmation: (order?.request['confirmation'] as string | undefined) ?? 'none',
    warehouseId: null,
    voided: s.voided,
    voidDate: null,
    marketplaceNotified: false,
    notifyErrorMessage: null,
    ...(order ? { shipTo: order.request['shipTo'] } : {}),
    labelData,
    formData: null,
  };
}

/**
 * The fake's handlers, by operationId of openapi/shipstation-v1.openapi.json (requests are
 * already checked against it by the kit):
 * - create_update_order: an order per API key and `orderKey` (made, or updated while open; a
 *   shipped or cancelled order is refused, as the documentation says they may not be updated);
 * - create_label_for_order: the order's carrier must be the key's, the service one it offers, the
 *   order open; debits the carrier's balance (400 "Insufficient funds ..." when short), marks the
 *   order shipped and answers the shipment with `labelData` (a real 4x6 PDF, base64);
 * - list_shipments: labels by orderNumber / orderId / trackingNumber / carrierCode, 100 a page by
 *   default, never with label data (v1 lists none);
 * - void_label: refunds and reopens the order; a second void is not approved;
 * - list_services / list_packages / get_carrier / add_funds: the key's carrier by carrierCode;
 * - list_warehouses / create_warehouse: the key's Ship From Locations (one default to start); a
 *   label ships from its order's `advancedOptions.warehouseId` (400 when the key has no such
 *   location), else from the default one, and its PDF prints that location.
 */
export function fakeShipStationV1Handlers(state: FakeShipStationV1State): Record<string, FakeHandler> {
  const key = (req: FakeRequest): string => apiKeyOf(req) ?? '';
  const carrierFor = (req: FakeRequest, code: unknown) => state.carrierOf(key(req), String(code ?? ''));
  const noCarrier = (code: unknown): FakeAnswer => fakeShipStationV1Refusal(`The carrier '${String(code)}' is not connected to this account.`);

  return {
    create_update_order: (req) => {
      const body = req.body as Record<string, unknown>;
      const orders = state.ordersOf(key(req));
      const orderKey = String(body['orderKey'] ?? `ss-${state.nextId()}`);
      const now = pacificNow();
      const existing = orders.get(orderKey);
      if (existing && (existing.orderStatus === 'shipped' || existing.orderStatus === 'cancelled')) {
        return fakeShipStationV1Refusal(`Order '${existing.orderNumber}' is ${existing.orderStatus} and cannot be updated.`);
      }
      const order: FakeShipStationV1Order = existing
        ? { ...existing, orderNumber: String(body['orderNumber']), orderStatus: body['orderStatus'] as FakeShipStationV1Order['orderStatus'], modifyDate: now, request: body }
        : {
            orderId: state.nextId(),
            orderNumber: String(body['orderNumber']),
            orderKey,
            orderStatus: body['orderStatus'] as FakeShipStationV1Order['orderStatus'],
            orderDate: String(body['orderDate']),
            createDate: now,
            modifyDate: now,
            request: body,
          };
      orders.set(orderKey, order);
      return ok(orderView(order));
    },

    create_label_for_order: async (req) => {
      const body = req.body as Record<string, unknown>;
      const apiKey = key(req);
      const order = [...state.ordersOf(apiKey).values()].find((o) => o.orderId === body['orderId']);
      if (!order) return fakeShipStationV1Refusal(`Order ${String(body['orderId'])} was not found.`);
      if (order.orderStatus === 'shipped') return fakeShipStationV1Refusal(`Order '${order.orderNumber}' has already been shipped.`);
      if (order.orderStatus === 'cancelled') return fakeShipStationV1Refusal(`Order '${order.orderNumber}' is cancelled.`);
      const carrier = carrierFor(req, body['carrierCode']);
      if (!carrier) return noCarrier(body['carrierCode']);
      const serviceCode = String(body['serviceCode']);
      const price = state.price(carrier.code, serviceCode);
      if (!carrier.services.includes(serviceCode) || price === undefined) {
        return fakeShipStationV1Refusal(`The service '${serviceCode}' is not available for carrier '${carrier.code}'.`);
      }
      const advanced = (body['advancedOptions'] ?? order.request['advancedOptions'] ?? {}) as Record<string, unknown>;
      const locations = state.warehouses.get(apiKey) ?? [];
      const warehouse = advanced['warehouseId'] === undefined || advanced['warehouseId'] === null ? locations.find((w) => w.isDefault) : locations.find((w) => w.warehouseId === advanced['warehouseId']);
      if (!warehouse) return fakeShipStationV1Refusal(`Ship From Location ${String(advanced['warehouseId'])} was not found.`);
      const failure = state.failures.get(order.orderNumber);
      if (failure) return fakeShipStationV1Refusal(failure);
      const cents = Math.round(price * 100);
      if (carrier.balanceCents < cents) {
        return fakeShipStationV1Refusal(
          `Insufficient funds: the label costs $${(cents / 100).toFixed(2)} and the ${carrier.code} balance is $${(carrier.balanceCents / 100).toFixed(2)}. Add funds and try again.`,
        );
      }
      carrier.balanceCents -= cents;
      const shipmentId = state.nextId();
      const sale: FakeShipStationV1Sale = {
        shipmentId,
        orderId: order.orderId,
        orderNumber: order.orderNumber,
        orderKey: order.orderKey,
        apiKey,
        carrierCode: carrier.code,
        serviceCode,
        trackingNumber: state.trackingNumber(carrier.code, shipmentId),
        warehouseId: warehouse.warehouseId,
        cost: cents / 100,
        createDate: pacificNow(),
        shipDate: String(body['shipDate']),
        voided: false,
        at: Date.now(),
      };
      state.sales.push(sale);
      order.orderStatus = 'shipped';
      const shipTo = order.request['shipTo'] as Record<string, unknown> | undefined;
      const file = await renderFakeLabel('pdf', '4x6', {
        trackingNumber: sale.trackingNumber,
        lines: [
          `${carrier.code} ${serviceCode}`,
          `From ${String(warehouse.originAddress['name'] ?? '')}, ${String(warehouse.originAddress['city'] ?? '')}`,
          String(shipTo?.['name'] ?? ''),
          `${String(shipTo?.['city'] ?? '')} ${String(shipTo?.['postalCode'] ?? '')}`,
        ],
      });
      return ok(shipmentView(sale, order, file.bytes.toString('base64')));
    },

    list_shipments: (req) => {
      const apiKey = key(req);
      const q = req.query;
      const orders = state.ordersOf(apiKey);
      const matching = state.sales.filter(
        (s) =>
          s.apiKey === apiKey &&
          (q['orderNumber'] === undefined || s.orderNumber === q['orderNumber']) &&
          (q['orderId'] === undefined || s.orderId === q['orderId']) &&
          (q['trackingNumber'] === undefined || s.trackingNumber === q['trackingNumber']) &&
          (q['carrierCode'] === undefined || s.carrierCode === q['carrierCode']),
      );
      const pageSize = Number(q['pageSize'] ?? 100);
      const page = Number(q['page'] ?? 1);
      const pages = Math.max(1, Math.ceil(matching.length / pageSize));
      const slice = matching.slice((page - 1) * pageSize, page * pageSize);
      return ok({ shipments: slice.map((s) => shipmentView(s, orders.get(s.orderKey), null)), total: matching.length, page, pages });
    },

    void_label: (req) => {
      const apiKey = key(req);
      const id = (req.body as { shipmentId: number }).shipmentId;
      const sale = state.sales.find((s) => s.apiKey === apiKey && s.shipmentId === id);
      if (!sale) return fakeShipStationV1Refusal(`Shipment ${id} was not found.`);
      if (sale.voided) return ok({ approved: false, message: 'Label already voided.' });
      sale.voided = true;
      const carrier = state.carrierOf(apiKey, sale.carrierCode);
      if (carrier) carrier.balanceCents += Math.round(sale.cost * 100);
      const order = state.ordersOf(apiKey).get(sale.orderKey);
      if (order) order.orderStatus = 'awaiting_shipment';
      return ok({ approved: true, message: 'Label voided successfully' });
    },

    list_services: (req) => {
      const carrier = carrierFor(req, req.query['carrierCode']);
      if (!carrier) return noCarrier(req.query['carrierCode']);
      return ok(carrier.services.map((code) => ({ carrierCode: carrier.code, code, name: code.replace(/_/g, ' '), domestic: true, international: false })));
    },

    list_packages: (req) => {
      const carrier = carrierFor(req, req.query['carrierCode']);
      if (!carrier) return noCarrier(req.query['carrierCode']);
      return ok([
        { carrierCode: carrier.code, code: 'package', name: 'Package', domestic: true, international: true },
        { carrierCode: carrier.code, code: 'flat_rate_envelope', name: 'Flat Rate Envelope', domestic: true, international: true },
      ]);
    },

    get_carrier: (req) => {
      const carrier = carrierFor(req, req.query['carrierCode']);
      if (!carrier) return noCarrier(req.query['carrierCode']);
      return ok({ name: carrier.code, code: carrier.code, accountNumber: 'SS123', requiresFundedAccount: true, balance: carrier.balanceCents / 100, nickname: null, shippingProviderId: 12345, primary: true });
    },

    list_warehouses: (req) => ok((state.warehouses.get(key(req)) ?? []).map((w) => ({ ...w }))),

    create_warehouse: (req) => {
      const body = req.body as { warehouseName?: string; originAddress: Record<string, unknown>; returnAddress?: Record<string, unknown>; isDefault?: boolean };
      const locations = state.warehouses.get(key(req)) ?? [];
      if (body.isDefault) for (const w of locations) w.isDefault = false;
      const made = {
        warehouseId: state.nextId(),
        warehouseName: body.warehouseName ?? `Ship From Location ${locations.length + 1}`,
        originAddress: body.originAddress,
        returnAddress: body.returnAddress ?? body.originAddress,
        createDate: pacificNow(),
        isDefault: body.isDefault === true,
      };
      locations.push(made);
      state.warehouses.set(key(req), locations);
      return ok({ ...made });
    },

    add_funds: (req) => {
      const body = req.body as { carrierCode: string; amount: number };
      const carrier = carrierFor(req, body.carrierCode);
      if (!carrier) return noCarrier(body.carrierCode);
      carrier.balanceCents += Math.round(body.amount * 100);
      carrier.fundsAdded.push({ amount: body.amount, at: Date.now() });
      return ok({ name: carrier.code, code: carrier.code, accountNumber: 'SS123', requiresFundedAccount: true, balance: carrier.balanceCents / 100, nickname: null, shippingProviderId: 12345, primary: true });
    },
  };
}

/** A 401 as ShipStation answers a wrong or missing key and secret. */
export const unauthorized = (headers?: Record<string, string>): FakeAnswer => fakeShipStationV1Error(401, 'Authorization has been denied for this request.', headers);
