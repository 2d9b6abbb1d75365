import { createHash } from 'node:crypto';
import {
  type Balance,
  type LabelFileType,
  type LabelProvider,
  type MoneyAmount,
  type ProviderCapabilities,
  type ProviderError,
  ProviderInsufficientFundsError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  ProviderValidationError,
  type ProviderPacer,
  type PurchaseLabelCommand,
  type RateBudget,
  UNPACED,
  type PurchasedLabel,
  type SqlClient,
  type ValidateShipmentCommand,
  type ValidationProblem,
  type VoidResult,
} from '@shipbatch/providers/core';
import { MOCK_CAPABILITIES, MOCK_DEFAULT_PRICE_CENTS, MOCK_PRICES_CENTS } from './mock-catalog';
import { type LedgerLabel, type LedgerSale, MockLedgerRepository } from './mock-ledger.repository';
import { labelParties } from './label/label-layout';
import { renderMockLabel } from './label/mock-label.renderer';
import type { MockProviderOptions } from './mock-provider.options';
import { validateMockShipment } from './mock-shipment.validator';
import { mockTrackingNumber } from './mock-tracking';

const DEFAULT_INITIAL_BALANCE_DOLLARS = 1_000_000;
/** A purchase waits at most this long for its paced slot; further away, its job gives it back. */
const PURCHASE_MAX_PACE_WAIT_MS = 15_000;

/** Maps a string to [0, 1), the same every time: the first 32 bits of its SHA-256. */
export function mockUnitHash(s: string): number {
  return createHash('sha256').update(s).digest().readUInt32BE(0) / 2 ** 32;
}

const toCents = (dollars: number): number => Math.round(dollars * 100);

/**
 * The deterministic reference provider (and the embedded default). Behaves like a real
 * provider: validates, rate-limits, fails now and then (as configured, deterministically),
 * charges a prepaid balance, keeps its state durable in its own schema, and never
 * de-duplicates a purchase itself.
 */
export class MockProvider implements LabelProvider {
  readonly key = 'mock';
  readonly capabilities: ProviderCapabilities = MOCK_CAPABILITIES;
  private readonly ledger: MockLedgerRepository;
  /** With `rate_limit_per_minute`, purchases are paced under it like an HTTP adapter's calls. */
  private readonly budget?: RateBudget;

  constructor(
    private readonly options: MockProviderOptions,
    private readonly carrier: string,
    sql: SqlClient,
    accountId: string,
    private readonly pacer: ProviderPacer = UNPACED,
  ) {
    this.ledger = new MockLedgerRepository(sql, accountId, toCents(options.initial_balance ?? DEFAULT_INITIAL_BALANCE_DOLLARS));
    if (options.rate_limit_per_minute) this.budget = { key: `mock:${accountId}`, perMinute: options.rate_limit_per_minute };
  }

  /** The carrier this instance sells for (the account's carrier). */
  get carrierCode(): string {
    return this.carrier;
  }

  async validateShipment(command: ValidateShipmentCommand): Promise<ValidationProblem[]> {
    await this.latency();
    return validateMockShipment(command.carrier, command.serviceLevelToken, command.shipment, this.carrier);
  }

  /**
   * Rate limit, validation, simulated failure, debit and sale happen in one transaction that
   * commits before the answer (counters included, also when the answer is an error).
   */
  async purchaseLabel(command: PurchaseLabelCommand): Promise<PurchasedLabel> {
    if (this.budget) await this.pacer.acquire(this.budget, { maxWaitMs: PURCHASE_MAX_PACE_WAIT_MS });
    await this.latency();
    const limit = this.options.rate_limit_per_minute;
    const failRate = this.options.fail_rate ?? 0;
    const problems = validateMockShipment(command.carrier, command.serviceLevelToken, command.shipment, this.carrier);
    if (!this.capabilities.labelFileTypes.includes(command.labelFileType)) {
      problems.push({
        field: 'label_file_type',
        code: 'label_file_type_unknown',
        text: `Label file type '${String(command.labelFileType)}' is not offered.`,
        severity: 'INVALID',
      });
    }
    // Nothing to count: answer at once, as a provider that rejects at its edge would.
    if (!limit && problems.length > 0) throw validationError(problems);

    const sale: LedgerSale = {
      reference: command.reference,
      carrier: this.carrier,
      serviceLevel: command.serviceLevelToken,
      costMinor: this.costOf(command.serviceLevelToken),
      labelFileType: command.labelFileType,
      labelData: labelParties(command.shipment),
      tracking: (seq) => mockTrackingNumber(this.carrier, seq, command.serviceLevelToken),
    };
    // Nothing to count and nothing to refuse: debit and sale in one statement.
    const outcome =
      !limit && failRate === 0 && problems.length === 0
        ? ((await this.ledger.sellAtOnce(sale)) ?? insufficientFunds(sale.costMinor))
        : await this.ledger.transaction<LedgerLabel | ProviderError>(async (tx) => {
            if (limit) {
              const window = await this.ledger.countRateWindow(tx);
              if (window.n > limit) {
                return new ProviderRateLimitedError(`mock: more than ${limit} purchase calls this minute`, {
                  retryAfterMs: window.msLeft,
                  details: { limit_per_minute: limit },
                });
              }
            }
            if (problems.length > 0) return validationError(problems);
            // With fail_rate 0 no call can fail, so the counter is not kept (one write less per purchase).
            if (failRate > 0) {
              const call = await this.ledger.countPurchaseCall(tx, command.reference);
              if (mockUnitHash(`${command.reference}:${call}`) < failRate) {
                return new ProviderUnavailableError(`mock: provider unavailable (simulated, call ${call} for ${command.reference})`, {
                  details: { call },
                });
              }
            }
            return (await this.ledger.sell(tx, sale)) ?? insufficientFunds(sale.costMinor);
          });
    if (outcome instanceof ProviderRateLimitedError && this.budget) await this.pacer.pause(this.budget, outcome.retryAfterMs ?? 1000);
    if (outcome instanceof Error) throw outcome;
    return this.toPurchased(outcome);
  }

  /** The price the label would be sold at: `label_cost` when set, else the service's list price. */
  async quote(command: PurchaseLabelCommand): Promise<MoneyAmount> {
    await this.latency();
    const problems = validateMockShipment(command.carrier, command.serviceLevelToken, command.shipment, this.carrier);
    if (problems.length > 0) throw validationError(problems);
    return { amountMinor: this.costOf(command.serviceLevelToken), currency: 'usd' };
  }

  async findPurchase(reference: string): Promise<PurchasedLabel | null> {
    await this.latency();
    const found = await this.ledger.findByReference(reference);
    return found ? this.toPurchased(found) : null;
  }

  async voidLabel(providerLabelId: string): Promise<VoidResult> {
    await this.latency();
    const hours = this.capabilities.voidWindowHours ?? 0;
    switch (await this.ledger.void(providerLabelId, hours)) {
      case 'not_found':
        throw new ProviderNotFoundError(`mock: label ${providerLabelId} not found`);
      case 'already_voided':
        return { approved: false, message: `Label ${providerLabelId} is already voided.` };
      case 'window_passed':
        return { approved: false, message: `Label ${providerLabelId} was sold more than ${hours} hours ago and can no longer be voided.` };
      case 'voided':
        return { approved: true, message: `Label ${providerLabelId} is voided and its cost refunded.` };
    }
  }

  async getBalance(): Promise<Balance> {
    await this.latency();
    return { amount: { amountMinor: await this.ledger.balance(), currency: 'usd' } };
  }

  async addFunds(amount: MoneyAmount): Promise<Balance> {
    await this.latency();
    if (!Number.isInteger(amount.amountMinor) || amount.amountMinor <= 0) {
      throw new ProviderValidationError(`mock: funds to add must be a positive whole number of cents, got ${amount.amountMinor}`, {
        details: { field: 'amount' },
      });
    }
    if (amount.currency.toLowerCase() !== 'usd') {
      throw new ProviderValidationError(`mock: balances are kept in usd, not ${amount.currency}`, { details: { field: 'currency' } });
    }
    return { amount: { amountMinor: await this.ledger.addFunds(amount.amountMinor), currency: 'usd' } };
  }

  private costOf(service: string): number {
    if (this.options.label_cost !== undefined && this.options.label_cost !== null) return toCents(this.options.label_cost);
    return MOCK_PRICES_CENTS[this.carrier]?.[service] ?? MOCK_DEFAULT_PRICE_CENTS;
  }

  /** The label as sold; its document is rendered from the ledger row, so it is the same every time. */
  private async toPurchased(l: LedgerLabel): Promise<PurchasedLabel> {
    return {
      providerLabelId: l.id,
      reference: l.reference,
      trackingNumber: l.tracking_number,
      carrier: l.carrier,
      serviceLevelToken: l.service_level,
      cost: { amountMinor: l.cost_minor, currency: 'usd' },
      createdAt: l.created_at,
      document: await renderMockLabel(l.label_file_type as LabelFileType, {
        ...l.label_data,
        trackingNumber: l.tracking_number,
        carrier: l.carrier,
        serviceLevelToken: l.service_level,
        reference: l.reference,
      }),
    };
  }

  private async latency(): Promise<void> {
    const ms = this.options.latency_ms ?? 0;
    if (ms > 0) await new Promise((resolve) => setTimeout(resolve, ms));
  }
}

function insufficientFunds(costMinor: number): ProviderInsufficientFundsError {
  return new ProviderInsufficientFundsError(`mock: the balance does not cover a label of ${(costMinor / 100).toFixed(2)} usd`, {
    details: { cost_minor: costMinor, needed_minor: costMinor },
  });
}

function validationError(problems: ValidationProblem[]): ProviderValidationError {
  return new ProviderValidationError(`mock: ${problems.map((p) => p.text).join(' ')}`, { details: { problems } });
}
