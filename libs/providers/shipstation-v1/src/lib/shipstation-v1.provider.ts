import {
  type Balance,
  type LabelProvider,
  type MoneyAmount,
  type ProviderContext,
  ProviderNotFoundError,
  ProviderOutcomeUnknownError,
  ProviderValidationError,
  type PurchaseLabelCommand,
  type PurchasedLabel,
  type ValidateShipmentCommand,
  type ValidationProblem,
  type VoidResult,
} from '@shipbatch/providers/core';
import { SHIPSTATION_V1_CAPABILITIES, SHIPSTATION_V1_MAX_TOP_UP_MINOR, SHIPSTATION_V1_MIN_TOP_UP_MINOR } from './shipstation-v1.capabilities';
import type { ShipStationV1Client } from './shipstation-v1.client';
import { fromServiceCode, PACKAGE_CODE, pacificDateTime, toMinor, toPurchasedLabel, toServiceCode, toShipDate, toV1Address, toV1Dimensions, toV1Weight } from './shipstation-v1.mapper';
import { toAdvancedOptions, toConfirmation } from './shipstation-v1-extra.mapper';
import { validateShipStationV1Shipment } from './shipstation-v1-shipment.validator';
import type { V1AdvancedOptions, V1Order, V1OrderRequest, V1Shipment } from './shipstation-v1.types';
import { ShipStationV1Warehouses } from './shipstation-v1-warehouses';

/** `orderNumber` holds at most 50 characters; our reference is both the order's number and its key. */
const MAX_REFERENCE_LENGTH = 50;
/** ShipStation v1 ids are integers. */
const SHIPMENT_ID = /^[1-9]\d{0,15}$/;
/** How ShipStation refuses an order that is no longer open (its label was bought). */
const ORDER_CLOSED = /\b(shipped|cannot be updated|can ?not be updated|already (?:been )?shipped)\b/i;

/**
 * The port over ShipStation's legacy API v1 for one carrier account (one `carrier_code` of one
 * API key and secret). v1 has no batch API and no reference of ours on a label it can search, so
 * every label is bought through an order of ours (the exactly-once path, see the README):
 *
 * 1. `POST /orders/createorder` with `orderKey` = `orderNumber` = our reference: idempotent by
 *    orderKey, so repeating it after a lost answer updates the same order, never makes a second;
 * 2. `POST /orders/createlabelfororder` buys the order's label and answers it with its file;
 * 3. `GET /shipments?orderNumber=` finds that label again (`findPurchase`) when an answer was lost.
 *
 * A bought order is `shipped` and can no longer be updated: a purchase that meets it (after a
 * lookup that missed) looks it up again instead of buying, and when ShipStation still lists no
 * label for it, it cannot tell: ProviderOutcomeUnknownError, never a second label.
 */
export class ShipStationV1Provider implements LabelProvider {
  readonly key = 'shipstation_v1';
  readonly capabilities = SHIPSTATION_V1_CAPABILITIES;
  /** The carrier's service and package codes, fetched once per instance (a failed fetch is not kept). */
  private offered?: Promise<{ services: string[]; packages: string[] }>;
  private readonly warehouses: ShipStationV1Warehouses;

  constructor(
    private readonly client: ShipStationV1Client,
    private readonly context: ProviderContext,
  ) {
    this.warehouses = new ShipStationV1Warehouses(client);
  }

  async validateShipment(command: ValidateShipmentCommand): Promise<ValidationProblem[]> {
    const problems = [...validateShipStationV1Shipment(command.shipment), ...this.carrierProblems(command.carrier)];
    const { services, packages } = await this.offeredCodes();
    const code = toServiceCode(command.serviceLevelToken);
    if (!services.includes(code)) {
      problems.push({
        field: 'servicelevel_token',
        code: 'service_level_unknown',
        text: `Service level '${command.serviceLevelToken}' is not offered by ShipStation carrier ${this.client.carrierCode} (offered: ${services.join(', ') || 'none'}).`,
        severity: 'INVALID',
      });
    }
    if (!packages.includes(PACKAGE_CODE)) {
      problems.push({
        field: 'parcels',
        code: 'package_unknown',
        text: `ShipStation carrier ${this.client.carrierCode} offers no '${PACKAGE_CODE}' package type (offered: ${packages.join(', ') || 'none'}).`,
        severity: 'INVALID',
      });
    }
    return problems;
  }

  async purchaseLabel(command: PurchaseLabelCommand): Promise<PurchasedLabel> {
    const problems = [...validateShipStationV1Shipment(command.shipment), ...this.carrierProblems(command.carrier)];
    if (!this.capabilities.labelFileTypes.includes(command.labelFileType)) {
      problems.push({ field: 'label_file_type', code: 'label_file_type_unknown', text: `ShipStation v1 makes 4x6 PDF labels (PDF_4x6), not ${command.labelFileType}.`, severity: 'INVALID' });
    }
    if (typeof command.reference !== 'string' || command.reference.length === 0 || command.reference.length > MAX_REFERENCE_LENGTH) {
      problems.push({ field: 'reference', code: 'reference_invalid', text: `The reference must have 1 to ${MAX_REFERENCE_LENGTH} characters.`, severity: 'INVALID' });
    }
    if (problems.length > 0) {
      throw this.refusal(`shipstation_v1: the shipment cannot be bought: ${problems.map((p) => p.text).join(' ')}`, {
        field: problems[0]?.field,
        provider_code: problems[0]?.code,
        problems,
      });
    }
    const { shipment } = command;
    const parcel = shipment.parcels[0];
    const serviceCode = toServiceCode(command.serviceLevelToken);
    const shipDate = toShipDate(shipment.shipmentDate);
    const confirmation = toConfirmation(shipment.extra);
    // The label ships from the shipment's address: a Ship From Location of ours (createlabelfororder takes no address).
    const warehouseId = await this.warehouses.idFor(shipment.addressFrom, shipment.addressReturn);
    const advancedOptions: V1AdvancedOptions = { warehouseId, ...toAdvancedOptions(shipment.extra) };
    const order: V1OrderRequest = {
      orderNumber: command.reference,
      orderKey: command.reference,
      orderDate: pacificDateTime(new Date()),
      orderStatus: 'awaiting_shipment',
      billTo: toV1Address(shipment.addressFrom),
      shipTo: toV1Address(shipment.addressTo),
      carrierCode: this.client.carrierCode,
      serviceCode,
      packageCode: PACKAGE_CODE,
      confirmation,
      shipDate,
      weight: toV1Weight(parcel),
      dimensions: toV1Dimensions(parcel),
      internalNotes: 'Shipbatch',
      advancedOptions,
    };
    let made: V1Order;
    try {
      made = await this.client.createOrder(order);
    } catch (error) {
      if (error instanceof ProviderValidationError && ORDER_CLOSED.test(error.message)) return this.alreadyBought(command);
      throw error;
    }
    if (made.orderStatus === 'shipped') return this.alreadyBought(command);
    if (made.orderStatus === 'cancelled') {
      throw this.refusal(`shipstation_v1: order ${command.reference} is cancelled in ShipStation; its label cannot be bought`, { provider_code: 'order_cancelled' });
    }
    let label: V1Shipment;
    try {
      label = await this.client.createLabelForOrder({
        orderId: made.orderId,
        carrierCode: this.client.carrierCode,
        serviceCode,
        packageCode: PACKAGE_CODE,
        confirmation,
        shipDate,
        weight: order.weight,
        dimensions: order.dimensions,
        testLabel: this.context.test === true,
        advancedOptions,
      });
    } catch (error) {
      if (error instanceof ProviderValidationError && ORDER_CLOSED.test(error.message)) return this.alreadyBought(command);
      throw error;
    }
    return toPurchasedLabel(label, command.reference, this.context.carrier, command.serviceLevelToken);
  }

  /**
   * The order of this reference is shipped: its label was bought by an earlier attempt. That label
   * is answered (found by lookup, without a file: v1 lists no label data); when ShipStation does
   * not list it (yet), nobody can tell what was bought: ProviderOutcomeUnknownError. Never a second label.
   */
  private async alreadyBought(command: PurchaseLabelCommand): Promise<PurchasedLabel> {
    const found = await this.findPurchase(command.reference);
    if (found) return found;
    throw new ProviderOutcomeUnknownError(
      this.client.redact(`shipstation_v1: order ${command.reference} is shipped in ShipStation but lists no label; it is not bought again (check the ShipStation account)`),
      { details: { provider_code: 'order_shipped_without_label' } },
    );
  }

  /**
   * `GET /shipments?orderNumber=<reference>`: the label not voided of our order, or null. A listed
   * shipment carries no label file (v1 gives `labelData` only in the purchase's answer): the label
   * found is recorded without one (see the README, "A label found again").
   */
  async findPurchase(reference: string): Promise<PurchasedLabel | null> {
    const shipments = await this.client.shipmentsOfOrder(reference);
    const ours = shipments.filter((s) => (s.orderNumber === reference || s.orderKey === reference) && !s.voided);
    const label = ours.at(-1);
    if (!label) return null;
    return toPurchasedLabel({ ...label, labelData: null }, reference, this.context.carrier, fromServiceCode(label.serviceCode ?? ''));
  }

  async voidLabel(providerLabelId: string): Promise<VoidResult> {
    if (!SHIPMENT_ID.test(providerLabelId)) {
      throw new ProviderNotFoundError(this.client.redact(`shipstation_v1: no label '${providerLabelId}' (ShipStation v1 shipment ids are numbers)`), {
        details: { provider_code: 'invalid_identifier' },
      });
    }
    const answer = await this.client.voidLabel(Number(providerLabelId));
    return { approved: answer.approved === true, message: answer.message || (answer.approved ? 'Label voided.' : 'The label was not voided.') };
  }

  async getBalance(): Promise<Balance> {
    const carrier = await this.client.carrier();
    return { amount: { amountMinor: toMinor(carrier.balance), currency: 'usd' } };
  }

  async addFunds(amount: MoneyAmount): Promise<Balance> {
    if (amount.currency.toLowerCase() !== 'usd') throw this.refusal(`shipstation_v1: funds are added in usd, not ${amount.currency}`, { field: 'currency' });
    if (!Number.isInteger(amount.amountMinor) || amount.amountMinor < SHIPSTATION_V1_MIN_TOP_UP_MINOR || amount.amountMinor > SHIPSTATION_V1_MAX_TOP_UP_MINOR) {
      throw this.refusal(`shipstation_v1: a top-up is 10.00 to 10,000.00 usd (asked for ${amount.amountMinor} minor units)`, {
        field: 'amount',
        min_minor: SHIPSTATION_V1_MIN_TOP_UP_MINOR,
        max_minor: SHIPSTATION_V1_MAX_TOP_UP_MINOR,
      });
    }
    const carrier = await this.client.addFunds(amount.amountMinor / 100);
    return { amount: { amountMinor: toMinor(carrier.balance), currency: 'usd' } };
  }

  /** A refusal decided here, before any request: redacted like every error from an answer. */
  private refusal(message: string, details: Record<string, unknown>): ProviderValidationError {
    return new ProviderValidationError(this.client.redact(message), { details: this.client.redact(details) });
  }

  private carrierProblems(carrier: string): ValidationProblem[] {
    if (carrier === this.context.carrier) return [];
    return [{ field: 'carrier', code: 'carrier_mismatch', text: `This carrier account ships with ${this.context.carrier}, not ${carrier}.`, severity: 'INVALID' }];
  }

  private offeredCodes(): Promise<{ services: string[]; packages: string[] }> {
    if (!this.offered) {
      const fetching = Promise.all([this.client.services(), this.client.packages()]).then(([services, packages]) => ({
        services: services.map((s) => s.code).filter((c): c is string => !!c),
        packages: packages.map((p) => p.code).filter((c): c is string => !!c),
      }));
      this.offered = fetching;
      fetching.catch(() => {
        if (this.offered === fetching) this.offered = undefined;
      });
    }
    return this.offered;
  }
}
