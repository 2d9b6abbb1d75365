import type { AddressLines, MassUnit } from '@shipbatch/providers/core';
import { type FakeAnswer, type FakeExtraRoute, type FakeHandler, type FakeRequest, renderFakeLabel } from '@shipbatch/providers/testing';
import { FAKE_LABEL_CARRIER, fakeLabelFileType } from './fake-shipstation.catalog';
import { notFound, shipStationError } from './fake-shipstation.errors';
import { sell, sellShipment } from './fake-shipstation.sell';
import type { FakeLabelState, FakeShipStationState } from './fake-shipstation.state';

type Json = Record<string, unknown>;

const MASS: Readonly<Record<string, MassUnit>> = { pound: 'lb', ounce: 'oz', gram: 'g', kilogram: 'kg' };
const apiKeyOf = (req: FakeRequest) => req.headers['api-key'] as string;

/** The label as ShipStation answers it (create, get by id, get by external shipment id). */
export function presentLabel(label: FakeLabelState, baseUrl: string): Json {
  const href = `${baseUrl}/v2/downloads/labels/${label.labelId}.${label.labelFormat}`;
  const shipToCountry = String(label.shipTo.country_code ?? 'US');
  const shipFromCountry = String(label.shipFrom.country_code ?? 'US');
  return {
    label_id: label.labelId,
    status: label.voided ? 'voided' : 'completed',
    shipment_id: label.shipmentId,
    external_shipment_id: label.externalShipmentId,
    external_order_id: label.externalOrderId,
    ship_date: label.shipDate,
    created_at: label.createdAt.toISOString(),
    shipment_cost: { currency: 'usd', amount: label.costCents / 100 },
    insurance_cost: { currency: 'usd', amount: 0 },
    tracking_number: label.trackingNumber,
    is_return_label: false,
    rma_number: null,
    is_international: shipToCountry !== shipFromCountry,
    // ShipStation answers '' for a label bought alone (the spec's own example); a known deviation.
    batch_id: label.batchId ?? '',
    carrier_id: label.carrierId,
    charge_event: 'carrier_default',
    service_code: label.serviceCode,
    package_code: label.packageCode,
    voided: label.voided,
    voided_at: label.voidedAt ? label.voidedAt.toISOString() : null,
    label_format: label.labelFormat,
    display_scheme: 'label',
    label_layout: label.labelLayout,
    trackable: true,
    label_image_id: null,
    carrier_code: label.carrierCode,
    tracking_status: 'in_transit',
    confirmation: 'none',
    label_download: { href, [label.labelFormat]: href },
    form_download: null,
    qr_code_download: null,
    paperless_download: null,
    insurance_claim: null,
    packages: label.packages.map((p, i) => ({
      package_code: label.packageCode,
      weight: p.weight,
      ...(p.dimensions ? { dimensions: p.dimensions } : {}),
      insured_value: { currency: 'usd', amount: 0 },
      tracking_number: label.trackingNumber,
      label_messages: { reference1: null, reference2: null, reference3: null },
      external_package_id: String(p.external_package_id ?? `${label.labelId}-${i + 1}`),
      sequence: i + 1,
    })),
    ship_to: label.shipTo,
  };
}

function addressOnLabel(a: Json): AddressLines {
  const s = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return { name: s(a.name), company: s(a.company_name), street1: s(a.address_line1), street2: s(a.address_line2), city: s(a.city_locality), state: s(a.state_province), zip: s(a.postal_code), country: s(a.country_code) };
}

function totalWeight(packages: Json[]): { value: number; unit: MassUnit } | undefined {
  const first = packages[0]?.weight as Json | undefined;
  const unit = first ? MASS[String(first.unit)] : undefined;
  if (!unit) return undefined;
  const sum = packages.reduce((n, p) => n + (String((p.weight as Json).unit) === first?.unit ? Number((p.weight as Json).value) : 0), 0);
  return { value: Math.round(sum * 100) / 100, unit };
}

/** Handlers for the label operations, and the download route serving real label documents. */
export function labelHandlers(state: FakeShipStationState, baseUrl: () => string): { handlers: Record<string, FakeHandler>; download: FakeExtraRoute } {
  /** The label format and layout asked for, or ShipStation's refusal. */
  const fileOf = (body: Json): { labelFormat: 'pdf' | 'png' | 'zpl'; labelLayout: string; fileType: string } | FakeAnswer => {
    if (body.label_download_type === 'inline') {
      return shipStationError(400, { error_type: 'validation', error_code: 'invalid_field_value', field_name: 'label_download_type', message: "This fake serves label_download_type 'url' only." });
    }
    const labelFormat = (body.label_format ?? 'pdf') as 'pdf' | 'png' | 'zpl';
    const labelLayout = String(body.label_layout ?? '4x6');
    const fileType = fakeLabelFileType(labelFormat, labelLayout);
    if (!fileType) return shipStationError(400, { error_type: 'validation', error_code: 'invalid_field_value', field_name: 'label_layout', message: `label_layout '${labelLayout}' is not available for label_format '${labelFormat}'.` });
    return { labelFormat, labelLayout, fileType };
  };

  const createLabel: FakeHandler = (req) => {
    const apiKey = apiKeyOf(req);
    const body = req.body as Json;
    const shipment = body.shipment as Json;
    const carrierId = String(shipment.carrier_id);
    const serviceCode = String(shipment.service_code);
    const carrier = state.carrierOf(apiKey, carrierId);
    if (!carrier) return shipStationError(400, { error_type: 'validation', error_code: 'invalid_identifier', field_name: 'carrier_id', message: `carrier_id ${carrierId} is not a carrier of this account.` });
    if (!carrier.services.includes(serviceCode)) {
      return shipStationError(400, { error_type: 'validation', error_code: 'invalid_field_value', field_name: 'service_code', carrier_id: carrierId, carrier_code: carrier.carrierCode, message: `Service '${serviceCode}' is not offered by carrier ${carrierId} (${carrier.carrierCode}). Offered: ${carrier.services.join(', ')}.` });
    }
    if (!shipment.ship_from) {
      return shipStationError(400, { error_type: 'validation', error_code: 'field_value_required', field_name: 'ship_from', message: 'shipment.ship_from is required (this fake buys labels alone from a ship_from address).' });
    }
    const externalShipmentId = (shipment.external_shipment_id as string | null | undefined) ?? null;
    // "Each external_shipment_id must be unique per account": a shipment made earlier (in bulk,
    // or by a label bought alone) keeps it.
    if (externalShipmentId !== null && state.book.shipmentByExternalId(apiKey, externalShipmentId)) {
      return shipStationError(400, { error_type: 'validation', error_code: 'identifier_conflict', field_name: 'external_shipment_id', message: `A shipment with external_shipment_id '${externalShipmentId}' already exists.` });
    }
    const file = fileOf(body);
    if ('status' in file) return file;
    const shipmentId = `se-${500000 + state.nextSerial()}`;
    const sold = sell(state, {
      apiKey,
      carrier,
      serviceCode,
      shipmentId,
      externalShipmentId,
      externalOrderId: (shipment.external_order_id as string | null | undefined) ?? null,
      shipDate: typeof shipment.ship_date === 'string' ? shipment.ship_date : undefined,
      ...file,
      shipTo: shipment.ship_to as Json,
      shipFrom: shipment.ship_from as Json,
      packages: shipment.packages as Json[],
      batchId: null,
    });
    if ('refused' in sold) return shipStationError(400, sold.refused);
    const { label } = sold;
    state.book.addShipment({
      shipmentId,
      apiKey,
      carrierId,
      serviceCode,
      externalShipmentId,
      warehouseId: null,
      shipDate: label.shipDate,
      createdAt: label.createdAt,
      modifiedAt: label.createdAt,
      status: 'label_purchased',
      shipTo: label.shipTo,
      shipFrom: label.shipFrom,
      returnTo: { ...((shipment.return_to as Json | undefined) ?? label.shipFrom) },
      packages: label.packages,
      batchId: null,
      labelId: label.labelId,
    });
    return { status: 200, body: presentLabel(label, baseUrl()) };
  };

  /** A shipment made earlier (in bulk): its label, once. */
  const createLabelFromShipment: FakeHandler = (req) => {
    const apiKey = apiKeyOf(req);
    const shipment = state.book.shipmentOf(apiKey, String(req.params.shipment_id));
    if (!shipment) return notFound(`Shipment ${String(req.params.shipment_id)}`);
    if (shipment.status !== 'pending') {
      return shipStationError(400, { error_type: 'business_rules', error_code: 'invalid_status', field_name: 'shipment_id', message: `Shipment ${shipment.shipmentId} is ${shipment.status}: only a pending shipment can be bought.` });
    }
    const inBatch = shipment.batchId ? state.book.batches.get(shipment.batchId) : undefined;
    if (inBatch && (inBatch.status === 'queued' || inBatch.status === 'processing')) {
      return shipStationError(400, { error_type: 'business_rules', error_code: 'invalid_status', field_name: 'shipment_id', message: `Shipment ${shipment.shipmentId} is being processed in batch ${inBatch.batchId}.` });
    }
    const carrier = state.carrierOf(apiKey, shipment.carrierId);
    if (!carrier) return shipStationError(400, { error_type: 'validation', error_code: 'invalid_identifier', field_name: 'carrier_id', message: `carrier_id ${shipment.carrierId} is not a carrier of this account.` });
    const file = fileOf(req.body as Json);
    if ('status' in file) return file;
    const sold = sellShipment(state, shipment, carrier, file, null);
    if ('refused' in sold) return shipStationError(400, sold.refused);
    return { status: 200, body: presentLabel(sold.label, baseUrl()) };
  };

  const getById: FakeHandler = (req) => {
    const label = state.labelOf(apiKeyOf(req), String(req.params.label_id));
    return label ? { status: 200, body: presentLabel(label, baseUrl()) } : notFound(`Label ${String(req.params.label_id)}`);
  };

  const getByExternalId: FakeHandler = (req) => {
    const id = String(req.params.external_shipment_id);
    const label = state.latestByExternalId(apiKeyOf(req), id);
    return label ? { status: 200, body: presentLabel(label, baseUrl()) } : notFound(`Label with external_shipment_id ${id}`);
  };

  const voidLabel: FakeHandler = (req) => {
    const label = state.labelOf(apiKeyOf(req), String(req.params.label_id));
    if (!label) return notFound(`Label ${String(req.params.label_id)}`);
    if (label.voided) return { status: 200, body: { approved: false, message: 'This label has already been voided.', reason_code: 'label_already_voided' } };
    label.voided = true;
    label.voidedAt = new Date();
    const shipment = state.book.shipments.get(label.shipmentId);
    if (shipment && shipment.labelId === label.labelId) {
      shipment.status = 'pending';
      shipment.labelId = null;
      shipment.modifiedAt = label.voidedAt;
    }
    state.carrier(label.carrierId).balanceCents += label.costCents;
    return { status: 200, body: { approved: true, message: 'Request for refund submitted. This label has been voided.' } };
  };

  const download: FakeExtraRoute = {
    id: 'download_label_file',
    method: 'GET',
    path: /^\/v2\/downloads\/labels\/(?<labelId>se-[a-z0-9-]+)\.(?<ext>pdf|png|zpl)$/,
    handler: async (req): Promise<FakeAnswer> => {
      const label = state.labels.get(String(req.params.labelId));
      if (!label || label.labelFormat !== req.params.ext) return { status: 404, body: { message: 'file not found' } };
      const to = addressOnLabel(label.shipTo);
      const weight = totalWeight(label.packages);
      label.document ??= renderFakeLabel(label.labelFormat as 'pdf' | 'png' | 'zpl', label.labelLayout, {
        trackingNumber: label.trackingNumber,
        lines: [
          `${FAKE_LABEL_CARRIER[label.carrierCode].toUpperCase()} ${label.serviceCode}`,
          `SHIP TO: ${to.name ?? ''}`,
          `${to.city ?? ''} ${to.state ?? ''} ${to.zip ?? ''}`.trim(),
          weight ? `${weight.value} ${weight.unit}` : '',
        ].filter(Boolean),
      });
      return { status: 200, raw: await label.document };
    },
  };

  return { handlers: { create_label: createLabel, create_label_from_shipment: createLabelFromShipment, get_label_by_id: getById, get_label_by_external_shipment_id: getByExternalId, void_label: voidLabel }, download };
}
