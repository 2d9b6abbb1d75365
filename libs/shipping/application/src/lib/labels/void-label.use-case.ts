import { Inject, Injectable, Logger } from '@nestjs/common';
import { isProviderError, type VoidResult } from '@shipbatch/providers/core';
import { NotFoundError } from '@shipbatch/shipping/domain';
import type { CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { LabelRecord, LabelRepository } from './label.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, LABEL_REPOSITORY, PROVIDER_GATEWAY } from '../tokens';

/**
 * Voids a bought label through the provider that sold it (ShipStation's PUT
 * /v2/labels/{id}/void answers `{approved, message}`). Safe to repeat: a label already voided
 * answers approved without calling the provider again. A refusal (void window passed, the
 * provider cannot void, the provider is down) answers approved: false with the reason and
 * changes nothing. The provider is never called inside a transaction.
 */
@Injectable()
export class VoidLabelUseCase {
  private readonly logger = new Logger(VoidLabelUseCase.name);

  constructor(
    @Inject(LABEL_REPOSITORY) private readonly labels: LabelRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
  ) {}

  async execute(tenantId: string, labelId: string): Promise<VoidResult> {
    const label = await this.labels.findById(tenantId, labelId);
    if (!label) throw new NotFoundError('Label', labelId);
    if (label.status === 'voided') return alreadyVoided(label);

    const account = await this.accounts.findById(tenantId, label.carrierAccountId);
    if (!account) {
      return { approved: false, message: `The carrier account ${label.carrierAccountId} that bought label ${label.id} is gone; void it with the carrier directly.` };
    }
    const provider = this.providers.forAccount(account);
    if (!provider.voidLabel || provider.capabilities.voidWindowHours === undefined) {
      return {
        approved: false,
        message: `Provider ${account.provider} cannot void labels through this service; void label ${label.id} with the carrier directly.`,
      };
    }
    let result: VoidResult;
    try {
      result = await provider.voidLabel(label.providerLabelId);
    } catch (error) {
      if (!isProviderError(error)) throw error;
      this.logger.warn(`void of label ${label.id} failed at ${account.provider}: ${error.code}: ${error.message}`, {
        transaction_id: label.id,
        label_id: label.id,
        tenant_id: tenantId,
        carrier_account_id: account.id,
        code: error.code,
      });
      const again = error.retryable ? ' Nothing changed; try again later.' : '';
      return { approved: false, message: `Provider ${account.provider} did not void label ${label.id}: ${error.message}.${again}` };
    }
    if (result.approved) {
      await this.labels.markVoided(tenantId, label.id);
      return { approved: true, message: result.message };
    }
    // A refusal may come from a void that raced this one and won: then the label is voided.
    const now = await this.labels.findById(tenantId, label.id);
    if (now?.status === 'voided') return alreadyVoided(now);
    return { approved: false, message: result.message };
  }
}

function alreadyVoided(label: LabelRecord): VoidResult {
  const at = label.voidedAt ? ` at ${new Date(label.voidedAt).toISOString()}` : '';
  return { approved: true, message: `Label ${label.id} was already voided${at}.` };
}
