import { createHash } from 'node:crypto';
import {
  type Balance,
  type LabelFileType,
  type LabelProvider,
  type MoneyAmount,
  type ProviderCapabilities,
  ProviderInsufficientFundsError,
  ProviderNotFoundError,
  ProviderRateLimitedError,
  ProviderUnavailableError,
  ProviderValidationError,
  type PurchaseLabelCommand,
  type PurchasedLabel,
  type SqlClient,
  type ValidateShipmentCommand,
  type ValidationProblem,
  type VoidResult,
} from '@shipbatch/providers/core';
import { MOCK_CAPABILITIES, MOCK_PRICES_CENTS } from './mock-catalog';
import { type LedgerLabel, MockLedgerRepository } from './mock-ledger.repository';
import { renderMockLabel } from './mock-label.renderer';
import type { MockProviderOptions } from './mock-provider.options';
import { validateMockShipment } from './mock-shipment.validator';
import { mockTrackingNumber } from './mock-tracking';

const DEFAULT_INITIAL_BALANCE = 1_000_000;

/** [0, 1) from a string, the same every time. */
function unitHash(s: string): number {
  return createHash('sha256').update(s).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * The deterministic reference provider (and the embedded default). Behaves like a real
 * provider: validates, rate-limits, fails now and then (as configured), charges a prepaid
 * balance, and never de-duplicates a purchase itself.
 */
export class MockProvider implements LabelProvider {
  readonly key = 'mock';
  readonly capabilities: ProviderCapabilities = MOCK_CAPABILITIES;
  private readonly ledger: MockLedgerRepository;

  constructor(
    private readonly options: MockProviderOptions,
    private readonly carrier: string,
    sql: SqlClient,
    accountId: string,
  ) {
    this.ledger = new MockLedgerRepository(sql, accountId, Math.round((options.initial_balance ?? DEFAULT_INITIAL_BALANCE) * 100));
  }

  async validateShipment(command: ValidateShipmentCommand): Promise<ValidationProblem[]> {
    await this.latency();
    return validateMockShipment(command.carrier, command.serviceLevelToken, command.shipment);
  }

  async purchaseLabel(command: PurchaseLabelCommand): Promise<PurchasedLabel> {
    await this.latency();
    await this.ledger.ensureSchema();
    if (this.options.rate_limit_per_minute) {
      const { n, msLeft } = await this.ledger.countRateWindow();
      if (n > this.options.rate_limit_per_minute) {
        throw new ProviderRateLimitedError(`mock: more than ${this.options.rate_limit_per_minute} calls this minute`, {
          retryAfterMs: msLeft,
        });
      }
    }
    const problems = validateMockShipment(command.carrier, command.serviceLevelToken, command.shipment);
    if (problems.length > 0) {
      throw new ProviderValidationError(`mock: ${problems.map((p) => p.text).join('; ')}`, { details: { problems } });
    }
    const failRate = this.options.fail_rate ?? 0;
    const call = failRate > 0 ? await this.ledger.countPurchaseCall(command.reference) : 0;
    if (failRate > 0 && unitHash(`${command.reference}:${call}`) < failRate) {
      throw new ProviderUnavailableError(`mock: provider unavailable (simulated, call ${call} for ${command.reference})`);
    }
    const costMinor = this.costOf(command.carrier, command.serviceLevelToken);
    const sold = await this.ledger.sell({
      reference: command.reference,
      carrier: command.carrier,
      serviceLevel: command.serviceLevelToken,
      costMinor,
      labelFileType: command.labelFileType,
      tracking: (seq) => mockTrackingNumber(command.carrier, seq),
    });
    if (!sold) {
      throw new ProviderInsufficientFundsError(
        `mock: the balance does not cover a label of ${(costMinor / 100).toFixed(2)} usd`,
      );
    }
    return this.toPurchased(sold);
  }

  async findPurchase(reference: string): Promise<PurchasedLabel | null> {
    await this.latency();
    await this.ledger.ensureSchema();
    const found = await this.ledger.findByReference(reference);
    return found ? this.toPurchased(found) : null;
  }

  async voidLabel(providerLabelId: string): Promise<VoidResult> {
    await this.latency();
    await this.ledger.ensureSchema();
    const outcome = await this.ledger.void(providerLabelId);
    if (outcome === 'not_found') throw new ProviderNotFoundError(`mock: label ${providerLabelId} not found`);
    if (outcome === 'already_voided') return { approved: false, message: `label ${providerLabelId} is already voided` };
    return { approved: true, message: `label ${providerLabelId} voided and refunded` };
  }

  async getBalance(): Promise<Balance> {
    await this.ledger.ensureSchema();
    return { amount: { amountMinor: await this.ledger.balance(), currency: 'usd' } };
  }

  async addFunds(amount: MoneyAmount): Promise<Balance> {
    await this.ledger.ensureSchema();
    return { amount: { amountMinor: await this.ledger.addFunds(amount.amountMinor), currency: 'usd' } };
  }

  private costOf(carrier: string, service: string): number {
    if (this.options.label_cost !== undefined) return Math.round(this.options.label_cost * 100);
    return MOCK_PRICES_CENTS[carrier]?.[service] ?? 1000;
  }

  private toPurchased(l: LedgerLabel): PurchasedLabel {
    return {
      providerLabelId: l.id,
      reference: l.reference,
      trackingNumber: l.tracking_number,
      carrier: l.carrier,
      serviceLevelToken: l.service_level,
      cost: { amountMinor: l.cost_minor, currency: 'usd' },
      createdAt: l.created_at,
      document: renderMockLabel(l.label_file_type as LabelFileType, {
        trackingNumber: l.tracking_number,
        carrier: l.carrier,
        serviceLevelToken: l.service_level,
        reference: l.reference,
      }),
    };
  }

  private async latency(): Promise<void> {
    const ms = this.options.latency_ms ?? 0;
    if (ms > 0) await new Promise((r) => setTimeout(r, ms));
  }

  /** The carrier this instance sells for. */
  get carrierCode(): string {
    return this.carrier;
  }
}
