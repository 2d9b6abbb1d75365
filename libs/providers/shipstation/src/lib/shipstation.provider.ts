import type {
  LabelProvider,
  ProviderContext,
  PurchaseLabelCommand,
  PurchasedLabel,
  ValidateShipmentCommand,
  ValidationProblem,
} from '@shipbatch/providers/core';
import type { ShipStationClient } from './shipstation.client';
import { SHIPSTATION_CAPABILITIES } from './shipstation.definition';

/** The port over ShipStation API v2. Generated: every method still says what it lacks. */
export class ShipStationProvider implements LabelProvider {
  readonly key = 'shipstation';
  readonly capabilities = SHIPSTATION_CAPABILITIES;

  constructor(
    private readonly client: ShipStationClient,
    private readonly context: ProviderContext,
  ) {}

  async validateShipment(_command: ValidateShipmentCommand): Promise<ValidationProblem[]> {
    throw new Error(`shipstation: validateShipment is not implemented yet (carrier account ${this.context.carrierAccountId})`);
  }

  async purchaseLabel(_command: PurchaseLabelCommand): Promise<PurchasedLabel> {
    throw new Error('shipstation: purchaseLabel is not implemented yet');
  }

  async findPurchase(_reference: string): Promise<PurchasedLabel | null> {
    throw new Error('shipstation: findPurchase is not implemented yet');
  }
}
