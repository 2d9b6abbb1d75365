import type { FundingEventRecord } from '@shipbatch/shipping/application';
import { Money } from '@shipbatch/shipping/domain';
import { iso } from './iso-date';

const amountOf = (minor: number | null, currency: string) =>
  minor === null ? null : { currency: currency.toLowerCase(), amount: Money.ofMinor(minor).major };

/** One top-up of a prepaid balance (`GET /carrier_accounts/{id}/funding_events`). */
export function presentFundingEvent(e: FundingEventRecord) {
  return {
    object_id: e.id,
    carrier_account: e.carrierAccountId,
    amount: amountOf(e.amountMinor, e.currency),
    balance_before: amountOf(e.balanceBeforeMinor, e.currency),
    balance_after: amountOf(e.balanceAfterMinor, e.currency),
    reason: e.reason,
    status: e.status,
    message: e.message,
    object_created: iso(e.createdAt),
  };
}
