import type { Balance } from '@shipbatch/providers/core';
import { Money } from '@shipbatch/shipping/domain';

export function presentBalance(balance: Balance) {
  return { currency: balance.amount.currency.toLowerCase(), amount: Money.ofMinor(balance.amount.amountMinor).major };
}
