import { FAKE_SHIPSTATION_SERVICES, fakeTrackingNumber } from './fake-shipstation.catalog';
import type { ShipStationErrorDetail } from './fake-shipstation.errors';
import type { FakeShipmentState } from './fake-shipstation.batch.state';
import type { FakeCarrierState, FakeLabelState, FakeShipStationState } from './fake-shipstation.state';

type Json = Record<string, unknown>;

const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** What a label is bought for: the shipment's fields, the file wanted, and the batch buying it. */
export interface FakeSaleInput {
  apiKey: string;
  carrier: FakeCarrierState;
  serviceCode: string;
  shipmentId: string;
  externalShipmentId: string | null;
  externalOrderId: string | null;
  shipDate: string | undefined;
  labelFormat: 'pdf' | 'png' | 'zpl';
  labelLayout: string;
  fileType: string;
  shipTo: Json;
  shipFrom: Json;
  packages: Json[];
  batchId: string | null;
}

/**
 * Buys one label, or says why not, as ShipStation's error (the same for a label bought alone and
 * one of a batch): a purchase a test made fail (`failPurchaseOf`), then the balance against the
 * service's price. Check and debit happen in one synchronous step: concurrent purchases cannot
 * overdraw.
 */
export function sell(state: FakeShipStationState, input: FakeSaleInput): { label: FakeLabelState } | { refused: ShipStationErrorDetail } {
  const { carrier } = input;
  const failure = input.externalShipmentId !== null ? state.book.failures.get(input.externalShipmentId) : undefined;
  if (failure !== undefined) {
    return { refused: { error_source: 'carrier', error_type: 'business_rules', error_code: 'unspecified', carrier_id: carrier.carrierId, carrier_code: carrier.carrierCode, message: failure } };
  }
  const priceCents = FAKE_SHIPSTATION_SERVICES[carrier.carrierCode][input.serviceCode].priceCents;
  if (carrier.balanceCents < priceCents) {
    return {
      refused: {
        error_source: 'carrier',
        error_type: 'business_rules',
        error_code: 'insufficient_funds',
        carrier_id: carrier.carrierId,
        carrier_code: carrier.carrierCode,
        message: `Insufficient funds: the label costs ${dollars(priceCents)} and the account balance is ${dollars(carrier.balanceCents)}. Please add funds to your ${carrier.carrierCode} account.`,
      },
    };
  }
  carrier.balanceCents -= priceCents;
  const serial = state.nextSerial();
  const createdAt = new Date();
  const packages = input.packages.map((p) => ({ ...p }));
  const label: FakeLabelState = {
    labelId: `se-${100000 + serial}`,
    shipmentId: input.shipmentId,
    apiKey: input.apiKey,
    carrierId: carrier.carrierId,
    carrierCode: carrier.carrierCode,
    serviceCode: input.serviceCode,
    packageCode: String(packages[0]?.package_code ?? 'package'),
    externalShipmentId: input.externalShipmentId,
    externalOrderId: input.externalOrderId,
    trackingNumber: fakeTrackingNumber(carrier.carrierCode, serial),
    costCents: priceCents,
    createdAt,
    shipDate: input.shipDate ?? `${createdAt.toISOString().slice(0, 10)}T00:00:00Z`,
    labelFormat: input.labelFormat,
    labelLayout: input.labelLayout,
    fileType: input.fileType,
    voided: false,
    voidedAt: null,
    batchId: input.batchId,
    shipTo: { ...input.shipTo },
    shipFrom: { ...input.shipFrom },
    packages,
  };
  state.labels.set(label.labelId, label);
  return { label };
}

/**
 * Buys the label of a shipment made earlier (alone by `POST /v2/labels/shipment/{id}`, or in its
 * batch): on success the shipment is `label_purchased` and names its label.
 */
export function sellShipment(
  state: FakeShipStationState,
  shipment: FakeShipmentState,
  carrier: FakeCarrierState,
  file: { labelFormat: 'pdf' | 'png' | 'zpl'; labelLayout: string; fileType: string },
  batchId: string | null,
): { label: FakeLabelState } | { refused: ShipStationErrorDetail } {
  const sold = sell(state, {
    apiKey: shipment.apiKey,
    carrier,
    serviceCode: shipment.serviceCode,
    shipmentId: shipment.shipmentId,
    externalShipmentId: shipment.externalShipmentId,
    externalOrderId: null,
    shipDate: shipment.shipDate,
    ...file,
    shipTo: shipment.shipTo,
    shipFrom: shipment.shipFrom,
    packages: shipment.packages,
    batchId,
  });
  if ('label' in sold) {
    shipment.status = 'label_purchased';
    shipment.labelId = sold.label.labelId;
    shipment.modifiedAt = sold.label.createdAt;
  }
  return sold;
}
