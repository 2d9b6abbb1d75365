import type { LabelProvider, ProviderContext, PurchaseLabelCommand, PurchasedLabel, ValidateShipmentCommand, ValidationProblem } from '@shipbatch/providers/core';
import type { ShipStationV1Client } from './shipstation-v1.client';
import { SHIPSTATION_V1_CAPABILITIES } from './shipstation-v1.capabilities';
import { validateShipStationV1Shipment } from './shipstation-v1-shipment.validator';

/** The error of a method the generator left to write: the contract suite shows it as the reason its cases fail. */
const notImplemented = (method: string) => new Error(`shipstation_v1: ${method} is not implemented (src/lib/shipstation-v1.provider.ts)`);

/** The port over ShipStation v1 for one carrier account. Generated: every method still to write says so. */
export class ShipStationV1Provider implements LabelProvider {
  readonly key = 'shipstation_v1';
  readonly capabilities = SHIPSTATION_V1_CAPABILITIES;

  constructor(
    private readonly client: ShipStationV1Client,
    private readonly context: ProviderContext,
  ) {}

  async validateShipment(command: ValidateShipmentCommand): Promise<ValidationProblem[]> {
    return validateShipStationV1Shipment(command, this.capabilities.serviceLevels[this.context.carrier] ?? []);
  }

  /** TODO: refuse what validateShipment refuses (ProviderValidationError), map the command (mapper), buy through the client with our reference, map the answer. */
  async purchaseLabel(_command: PurchaseLabelCommand): Promise<PurchasedLabel> {
    throw notImplemented('purchaseLabel');
  }

  /** TODO: find a purchase by our reference (the provider's lookup or a listing), null when there is none. */
  async findPurchase(_reference: string): Promise<PurchasedLabel | null> {
    throw notImplemented('findPurchase');
  }
}
