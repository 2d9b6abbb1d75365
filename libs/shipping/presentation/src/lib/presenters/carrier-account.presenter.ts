import type { CarrierAccountRecord } from '@shipbatch/shipping/application';
import { Money } from '@shipbatch/shipping/domain';
import { iso } from './iso-date';

/** Credentials are never returned. */
export function presentCarrierAccount(a: CarrierAccountRecord) {
  return {
    object_id: a.id,
    object_owner: a.tenantId,
    object_created: iso(a.createdAt),
    object_updated: iso(a.updatedAt),
    provider: a.provider,
    carrier: a.carrier,
    account_id: a.accountId,
    active: a.active,
    test: a.test,
    metadata: a.metadata,
    funding: {
      enabled: a.funding.enabled,
      min_balance: Money.ofMinor(a.funding.minBalanceMinor).major,
      top_up_amount: Money.ofMinor(a.funding.topUpAmountMinor).major,
      daily_cap: Money.ofMinor(a.funding.dailyCapMinor).major,
    },
  };
}
