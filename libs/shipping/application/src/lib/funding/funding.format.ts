import type { Logger } from '@nestjs/common';
import type { Balance, LabelProvider, MoneyAmount } from '@shipbatch/providers/core';
import { Money } from '@shipbatch/shipping/domain';
import type { FundingEventRecord } from './funding.repository';
import type { CostEstimate } from './funding-cost.estimator';

/** What a top-up's funding_events row says, besides who and why. */
export type EventFields = Pick<FundingEventRecord, 'amountMinor' | 'balanceBeforeMinor' | 'balanceAfterMinor' | 'status' | 'message'> & {
  currency?: string;
};

/** Whether the provider keeps a prepaid balance that the service can read and top up. */
export function canTopUp(provider: LabelProvider): boolean {
  const f = provider.capabilities.funding;
  return f.prepaidBalance && f.addFunds && !!provider.getBalance && !!provider.addFunds;
}

export function getBalance(provider: LabelProvider): Promise<Balance> {
  if (!provider.getBalance) throw new Error(`provider ${provider.key} has no getBalance`);
  return provider.getBalance();
}

export function addFunds(provider: LabelProvider, amount: MoneyAmount): Promise<Balance> {
  if (!provider.addFunds) throw new Error(`provider ${provider.key} has no addFunds`);
  return provider.addFunds(amount);
}

/** The event of a top-up the provider made: `amountMinor` added, the balance before and after. */
export function succeededEvent(amountMinor: number, currency: string, balanceBeforeMinor: number | null, balanceAfterMinor: number, message: string): EventFields {
  return { amountMinor, currency, balanceBeforeMinor, balanceAfterMinor, status: 'succeeded', message };
}

export function failedEvent(amountMinor: number, balanceBeforeMinor: number | null, message: string, currency?: string): EventFields {
  return { amountMinor, balanceBeforeMinor, balanceAfterMinor: null, status: 'failed', message, currency };
}

/** "12.50 usd". */
export function fmt(minor: number, currency = 'usd'): string {
  return `${Money.ofMinor(Math.round(minor)).toDecimalString()} ${currency.toLowerCase()}`;
}

/** "75.80 usd", and how many shipments could not be priced when some could not. */
export function estimateText(estimate: CostEstimate, currency: string): string {
  const unpriced = estimate.unpriced > 0 ? ` (${estimate.unpriced} of its ${estimate.shipments} shipments could not be priced)` : '';
  return `${fmt(estimate.amountMinor, currency)}${unpriced}`;
}

/** "insufficient funds: the balance is 1.00 usd and this label needs 7.58 usd". */
export function shortfallText(balance: MoneyAmount | null, needed: MoneyAmount | null): string {
  const has = balance ? `the balance is ${fmt(balance.amountMinor, balance.currency)}` : 'the balance could not be read';
  const needs = needed ? `this label needs ${fmt(needed.amountMinor, needed.currency)}` : 'the provider says it does not cover this label';
  return `insufficient funds: ${has} and ${needs}`;
}

/** What the tenant can do about a shipment that could not be paid for. */
export function addFundsHint(accountId: string): string {
  return `POST /carrier_accounts/${accountId}/add_funds, then purchase the batch again`;
}

/** The balance, or null when the provider cannot tell (the caller only reports it); a failed read is logged as a warning. */
export async function readBalance(provider: LabelProvider, logger: Pick<Logger, 'warn'>): Promise<MoneyAmount | null> {
  if (!provider.getBalance || !provider.capabilities.funding.prepaidBalance) return null;
  try {
    return (await provider.getBalance()).amount;
  } catch (error) {
    logger.warn(`reading a balance failed: ${describeError(error)}`);
    return null;
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
