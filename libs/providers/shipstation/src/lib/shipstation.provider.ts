import {
  type Balance,
  contentTypeOf,
  documentExtension,
  type LabelDocument,
  type LabelProvider,
  type MoneyAmount,
  type ProviderContext,
  ProviderNotFoundError,
  ProviderUnavailableError,
  ProviderValidationError,
  type PurchaseLabelCommand,
  type PurchasedLabel,
  type ValidateShipmentCommand,
  type ValidationProblem,
  type VoidResult,
} from '@shipbatch/providers/core';
import { SHIPSTATION_CAPABILITIES, SHIPSTATION_MIN_TOP_UP_MINOR } from './shipstation.capabilities';
import type { ShipStationClient } from './shipstation.client';
import {
  fromServiceCode,
  LABEL_FORMATS,
  toMinor,
  toMoney,
  toPurchasedLabel,
  toServiceCode,
  toShipDate,
  toSsAddress,
  toSsPackage,
} from './shipstation.mapper';
import type { ShipStationProviderOptions } from './shipstation-provider.options';
import { addressProblems } from './shipstation-address.problems';
import { distinctParcels, estimateShipDate, rateEstimateCost, toRateEstimateRequest } from './shipstation-rate-estimate.mapper';
import { validateShipStationShipment } from './shipstation-shipment.validator';
import { withShipmentOptions } from './shipstation-extra.mapper';
import type { SsCreateLabelRequest, SsLabel, SsLabelFormat, SsLabelLayout } from './shipstation.types';
import { ShipStationBatchClient } from './shipstation-batch.client';
import type { SsShipment } from './shipstation-batch.types';
import { isExternalIdConflict } from './shipstation.conflicts';
import { ShipStationNativeBatch } from './shipstation.native-batch';
import { ShipStationWarehouses } from './shipstation-warehouses';

/** ShipStation ids look like `se-123456`; anything else names no label there. */
const SE_ID = /^se(-[a-z0-9]+)+$/;
/** `external_shipment_id` holds at most 50 characters. */
const MAX_REFERENCE_LENGTH = 50;

/**
 * The port over ShipStation API v2 for one carrier account (one `carrier_id`). ShipStation has
 * no batch API and no idempotency keys: every label is bought alone with our reference as
 * `external_shipment_id`, and a purchase whose answer was lost is found again by it.
 */
export class ShipStationProvider implements LabelProvider {
  readonly key = 'shipstation';
  readonly capabilities = SHIPSTATION_CAPABILITIES;
  /** ShipStation's batch API (see the README's "Batches"). */
  readonly nativeBatch: ShipStationNativeBatch;
  /** The carrier's service codes, fetched once per instance (a failed fetch is not kept). */
  private offered?: Promise<string[]>;
  private readonly batches: ShipStationBatchClient;

  constructor(
    private readonly client: ShipStationClient,
    private readonly options: ShipStationProviderOptions,
    private readonly context: ProviderContext,
  ) {
    this.batches = new ShipStationBatchClient(client);
    this.nativeBatch = new ShipStationNativeBatch(client, this.batches, new ShipStationWarehouses(this.batches), context, options.native_batch_min_size ?? 50);
  }

  async validateShipment(command: ValidateShipmentCommand): Promise<ValidationProblem[]> {
    const problems = [...validateShipStationShipment(command.shipment), ...this.carrierProblems(command.carrier)];
    const code = toServiceCode(command.serviceLevelToken);
    const offered = await this.offeredServiceCodes();
    if (!offered.includes(code)) {
      problems.push({
        field: 'servicelevel_token',
        code: 'service_level_unknown',
        text: `Service level '${command.serviceLevelToken}' is not offered by ShipStation carrier ${this.client.carrierId} (offered: ${offered.join(', ') || 'none'}).`,
        severity: 'INVALID',
      });
    }
    const addressesComplete = !problems.some((p) => p.field?.startsWith('address_'));
    if (this.options.validate_addresses && addressesComplete) {
      const results = await this.client.validateAddresses([toSsAddress(command.shipment.addressFrom), toSsAddress(command.shipment.addressTo)]);
      problems.push(...addressProblems(results));
    }
    return problems;
  }

  async purchaseLabel(command: PurchaseLabelCommand): Promise<PurchasedLabel> {
    const format = LABEL_FORMATS[command.labelFileType];
    const problems = [...validateShipStationShipment(command.shipment), ...this.carrierProblems(command.carrier)];
    if (!format) {
      problems.push({
        field: 'label_file_type',
        code: 'label_file_type_unknown',
        text: `ShipStation makes no ${command.labelFileType} labels (it makes ${Object.keys(LABEL_FORMATS).join(', ')}).`,
        severity: 'INVALID',
      });
    }
    if (typeof command.reference !== 'string' || command.reference.length === 0 || command.reference.length > MAX_REFERENCE_LENGTH) {
      problems.push({ field: 'reference', code: 'reference_invalid', text: `The reference must have 1 to ${MAX_REFERENCE_LENGTH} characters.`, severity: 'INVALID' });
    }
    if (problems.length > 0 || !format) {
      throw this.refusal(`shipstation: the shipment cannot be bought: ${problems.map((p) => p.text).join(' ')}`, {
        field: problems[0]?.field,
        provider_code: problems[0]?.code,
        problems,
      });
    }
    const { shipment } = command;
    const body: SsCreateLabelRequest = {
      shipment: {
        carrier_id: this.client.carrierId,
        service_code: toServiceCode(command.serviceLevelToken),
        external_shipment_id: command.reference,
        ship_to: toSsAddress(shipment.addressTo),
        ship_from: toSsAddress(shipment.addressFrom),
        packages: shipment.parcels.map(toSsPackage),
      },
      label_format: format.format,
      label_layout: format.layout,
      label_download_type: 'url',
    };
    const shipDate = toShipDate(shipment.shipmentDate);
    if (shipDate) body.shipment.ship_date = shipDate;
    if (shipment.addressReturn) body.shipment.return_to = toSsAddress(shipment.addressReturn);
    withShipmentOptions(body.shipment, shipment.extra);
    let label: SsLabel;
    try {
      label = await this.client.createLabel(body);
    } catch (error) {
      if (!isExternalIdConflict(error)) throw error;
      return this.purchaseExisting(command, format, error);
    }
    return toPurchasedLabel(label, command.reference, this.context.carrier, command.serviceLevelToken);
  }

  /**
   * The shipment exists on ShipStation already (made by the batch path, then given back to single
   * purchases): its label is bought from it, `POST /v2/labels/shipment/{shipment_id}`. A shipment
   * whose label is bought already answers that label (never a second one); one cancelled, or not
   * found, keeps ShipStation's refusal.
   */
  private async purchaseExisting(command: PurchaseLabelCommand, format: { format: SsLabelFormat; layout: SsLabelLayout }, refusal: unknown): Promise<PurchasedLabel> {
    let shipment: SsShipment;
    try {
      shipment = await this.batches.shipmentByExternalId(command.reference);
    } catch (error) {
      if (error instanceof ProviderNotFoundError) throw refusal;
      throw error;
    }
    if (shipment.shipment_status === 'cancelled') throw refusal;
    if (shipment.shipment_status === 'label_purchased') {
      const bought = await this.findPurchase(command.reference);
      if (bought) return bought;
      throw refusal;
    }
    const label = await this.client.createLabelFromShipment(shipment.shipment_id, { label_format: format.format, label_layout: format.layout, label_download_type: 'url' });
    return toPurchasedLabel(label, command.reference, this.context.carrier, command.serviceLevelToken);
  }

  /**
   * What the label would cost, without buying it: ShipStation's rate estimate (`POST
   * /v2/rates/estimate`, this carrier only) for the service, one estimate per distinct parcel
   * (an estimate prices one package), summed. A shipment that could not be bought, or a service
   * the estimate does not price, is refused (validation).
   */
  async quote(command: PurchaseLabelCommand): Promise<MoneyAmount> {
    const problems = [...validateShipStationShipment(command.shipment), ...this.carrierProblems(command.carrier)];
    if (problems.length > 0) {
      throw this.refusal(`shipstation: the shipment cannot be priced: ${problems.map((p) => p.text).join(' ')}`, {
        field: problems[0].field,
        provider_code: problems[0].code,
        problems,
      });
    }
    const code = toServiceCode(command.serviceLevelToken);
    const shipDate = estimateShipDate(command.shipment.shipmentDate);
    let total: MoneyAmount = { amountMinor: 0, currency: 'usd' };
    for (const { parcel, count } of distinctParcels(command.shipment.parcels)) {
      const rates = await this.client.estimateRates(toRateEstimateRequest(this.client.carrierId, command.shipment, parcel, shipDate));
      const rate = rates.find((r) => r.service_code === code && (r.carrier_id === undefined || r.carrier_id === this.client.carrierId));
      const cost = rate ? rateEstimateCost(rate) : undefined;
      if (!cost) {
        const why = rate?.error_messages?.length ? `: ${rate.error_messages.join('; ')}` : ` (estimated: ${rates.map((r) => r.service_code).join(', ') || 'none'})`;
        throw this.refusal(`shipstation: no rate estimate for service ${code} of carrier ${this.client.carrierId}${why}`, {
          field: 'servicelevel_token',
          provider_code: 'rate_estimate_unavailable',
        });
      }
      total = { amountMinor: total.amountMinor + cost.amountMinor * count, currency: cost.currency };
    }
    return total;
  }

  async findPurchase(reference: string): Promise<PurchasedLabel | null> {
    try {
      const label = await this.client.labelByExternalShipmentId(reference);
      if (label.voided || label.status === 'voided' || label.status === 'error') return null;
      return toPurchasedLabel(label, reference, this.context.carrier, fromServiceCode(label.service_code ?? ''));
    } catch (error) {
      if (error instanceof ProviderNotFoundError) return null;
      throw error;
    }
  }

  async downloadDocument(url: string): Promise<LabelDocument> {
    const file = await this.client.download(url);
    const extension = documentExtension(file.contentType, url);
    return { contentType: file.contentType || contentTypeOf(extension), extension, content: file.content };
  }

  async voidLabel(providerLabelId: string): Promise<VoidResult> {
    if (!SE_ID.test(providerLabelId)) {
      throw new ProviderNotFoundError(this.client.redact(`shipstation: no label '${providerLabelId}' (ShipStation label ids look like se-123456)`), {
        details: { provider_code: 'invalid_identifier' },
      });
    }
    const answer = await this.client.voidLabel(providerLabelId);
    return { approved: answer.approved === true, message: answer.message || (answer.approved ? 'Label voided.' : 'The label was not voided.') };
  }

  async getBalance(): Promise<Balance> {
    const carrier = await this.client.carrier();
    if (typeof carrier.balance !== 'number') {
      throw new ProviderUnavailableError(`shipstation: carrier ${this.client.carrierId} reports no prepaid balance`);
    }
    return { amount: { amountMinor: toMinor(carrier.balance), currency: 'usd' } };
  }

  async addFunds(amount: MoneyAmount): Promise<Balance> {
    const currency = amount.currency.toLowerCase();
    if (currency !== 'usd') {
      throw this.refusal(`shipstation: funds are added in usd, not ${amount.currency}`, { field: 'currency' });
    }
    if (!Number.isInteger(amount.amountMinor) || amount.amountMinor < SHIPSTATION_MIN_TOP_UP_MINOR) {
      throw this.refusal(
        `shipstation: the smallest top-up is ${(SHIPSTATION_MIN_TOP_UP_MINOR / 100).toFixed(2)} usd (asked for ${amount.amountMinor} minor units)`,
        { field: 'amount', min_minor: SHIPSTATION_MIN_TOP_UP_MINOR },
      );
    }
    const answer = await this.client.addFunds({ currency: 'usd', amount: amount.amountMinor / 100 });
    return { amount: toMoney(answer.balance) };
  }

  /** A refusal decided here, before any request: redacted like every error from an answer. */
  private refusal(message: string, details: Record<string, unknown>): ProviderValidationError {
    return new ProviderValidationError(this.client.redact(message), { details: this.client.redact(details) });
  }

  private carrierProblems(carrier: string): ValidationProblem[] {
    if (carrier === this.context.carrier) return [];
    return [{ field: 'carrier', code: 'carrier_mismatch', text: `This carrier account ships with ${this.context.carrier}, not ${carrier}.`, severity: 'INVALID' }];
  }

  private offeredServiceCodes(): Promise<string[]> {
    if (!this.offered) {
      const fetching = this.client.services().then((services) => services.map((s) => s.service_code).filter((c): c is string => !!c));
      this.offered = fetching;
      fetching.catch(() => {
        if (this.offered === fetching) this.offered = undefined;
      });
    }
    return this.offered;
  }
}
