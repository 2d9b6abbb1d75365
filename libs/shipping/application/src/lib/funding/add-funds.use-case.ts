import { Inject, Injectable, Logger } from '@nestjs/common';
import { type Balance, isProviderError, type MoneyAmount } from '@shipbatch/providers/core';
import { ConflictError, InvalidInputError, NotFoundError } from '@shipbatch/shipping/domain';
import type { CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import { providerErrorText, providerFailure } from '../common/provider-failure';
import { CARRIER_ACCOUNT_REPOSITORY, PROVIDER_GATEWAY } from '../tokens';
import { addFunds, canTopUp, failedEvent, fmt, readBalance, succeededEvent } from './funding.format';
import { FundingLocks } from './funding-lock';

/** A manual top-up waits at most this long for an automatic one of the same account to finish. */
export const MANUAL_LOCK_WAIT_MS = 15_000;

/**
 * `POST /carrier_accounts/{id}/add_funds`: tops up by hand (reason `manual`) and answers the new
 * balance. Not limited by the daily cap, but counted toward it. Runs under the account's funding
 * lock like every top-up, waiting up to MANUAL_LOCK_WAIT_MS for an automatic one to finish (then
 * 409 funding_in_progress).
 */
@Injectable()
export class AddFundsUseCase {
  private readonly logger = new Logger(AddFundsUseCase.name);

  constructor(
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
    private readonly locks: FundingLocks,
  ) {}

  async run(tenantId: string, accountId: string, amount: MoneyAmount): Promise<Balance> {
    const account = await this.accounts.findById(tenantId, accountId);
    if (!account) throw new NotFoundError('Carrier account', accountId);
    if (!Number.isSafeInteger(amount.amountMinor) || amount.amountMinor <= 0) {
      throw new InvalidInputError('amount must be greater than 0', 'invalid_field_value', 'amount');
    }
    const provider = this.providers.forAccount(account);
    if (!canTopUp(provider)) {
      throw new ConflictError(`provider ${account.provider} cannot add funds to a balance`, 'add_funds_not_supported');
    }
    const holding = await this.locks.lockWithin(account, 'manual', MANUAL_LOCK_WAIT_MS);
    if (!holding) {
      throw new ConflictError(`another top-up of carrier account ${account.id} is in progress; try again shortly`, 'funding_in_progress');
    }
    try {
      const before = await readBalance(provider, this.logger);
      // A currency the balance is not kept in is the request's fault: refused before anything is recorded.
      if (before && before.currency.toLowerCase() !== amount.currency.toLowerCase()) {
        throw new InvalidInputError(`currency must be the balance's currency, ${before.currency.toLowerCase()}`, 'invalid_field_value', 'currency');
      }
      let after: Balance;
      try {
        after = await addFunds(provider, amount);
      } catch (error) {
        if (!isProviderError(error)) throw error;
        await holding.record(failedEvent(amount.amountMinor, before?.amountMinor ?? null, `adding ${fmt(amount.amountMinor, amount.currency)} failed: ${error.message}`, amount.currency));
        if (error.code === 'validation') throw new InvalidInputError(providerErrorText(account.provider, error), 'amount_refused', 'amount');
        throw providerFailure(account.provider, error);
      }
      await holding.record(
        succeededEvent(amount.amountMinor, after.amount.currency, before?.amountMinor ?? null, after.amount.amountMinor, `added ${fmt(amount.amountMinor, amount.currency)} by hand`),
      );
      return after;
    } finally {
      await holding.release();
    }
  }
}
