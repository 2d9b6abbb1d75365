import { Inject, Injectable } from '@nestjs/common';
import type { ProviderCapabilities } from '@shipbatch/providers/core';
import { InvalidInputError, unhonouredExtras } from '@shipbatch/shipping/domain';
import type { CarrierAccountRecord, CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, PROVIDER_GATEWAY } from '../tokens';
import type { BatchShipmentInput } from './shipment-input';

/**
 * A shipment's `extra` options against what its carrier account's provider declares it can
 * honour (capabilities.shipmentExtras), when the batch is created or shipments are added: the
 * first option it cannot honour is a 400 naming it (`batch_shipments[3].shipment.extra.insurance`),
 * and nothing is stored. A shipment whose account cannot be found or built is left for
 * validation (which makes it INVALID for that reason, and checks its extras again there).
 */
@Injectable()
export class ShipmentExtrasPolicy {
  constructor(
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
  ) {}

  /** `fieldOf(i)` names shipment i's field in the request (`batch_shipments[i].shipment`). */
  async assertHonoured(tenantId: string, defaultAccountId: string, shipments: readonly BatchShipmentInput[], fieldOf: (index: number) => string): Promise<void> {
    const withExtra = shipments.map((s, i) => ({ s, i })).filter(({ s }) => s.shipment.extra && Object.keys(s.shipment.extra).length > 0);
    if (withExtra.length === 0) return;
    const ids = [...new Set(withExtra.map(({ s }) => s.carrier_account ?? defaultAccountId))];
    const accounts = new Map((await this.accounts.findMany(tenantId, ids)).map((a) => [a.id, a]));
    const capabilities = new Map<string, ProviderCapabilities | null>();
    for (const { s, i } of withExtra) {
      const account = accounts.get(s.carrier_account ?? defaultAccountId);
      if (!account) continue;
      if (!capabilities.has(account.id)) capabilities.set(account.id, this.capabilitiesOf(account));
      const declared = capabilities.get(account.id);
      if (!declared) continue;
      const [refused] = unhonouredExtras(s.shipment.extra, declared.shipmentExtras, account.provider);
      if (refused) {
        const field = `${fieldOf(i)}.extra.${refused.path}`;
        throw new InvalidInputError(`${field}: ${refused.text}`, 'extra_not_supported', field);
      }
    }
  }

  /** The account's provider's declared capabilities; null when its stored parameters no longer build an adapter (validation says so). */
  private capabilitiesOf(account: CarrierAccountRecord): ProviderCapabilities | null {
    try {
      return this.providers.forAccount(account).capabilities;
    } catch {
      return null;
    }
  }
}
