import {
  isProviderError,
  type LabelDocument,
  type LabelProvider,
  type ProviderContext,
  ProviderNotFoundError,
  ProviderUnavailableError,
  ProviderValidationError,
  type PurchaseLabelCommand,
  type PurchasedLabel,
  type ValidateShipmentCommand,
  type ValidationProblem,
  type VoidResult,
} from '@shipbatch/providers/core';
import { SHIPPO_CAPABILITIES } from './shippo.capabilities';
import type { ShippoClient } from './shippo.client';
import { type LookupTuning, scanForReference } from './shippo.lookup';
import { contentTypeOf, documentExtension, type RateFacts, rateFacts, toMessages, toPurchasedLabel, toShShipment } from './shippo.mapper';
import { ShippoNativeBatch } from './shippo.native-batch';
import type { ShippoProviderOptions } from './shippo-provider.options';
import { validateShippoShipment } from './shippo-shipment.validator';
import type { ShTransaction } from './shippo.types';

/** Shippo object ids are 32 hex digits; anything else names no transaction there. */
const SHIPPO_ID = /^[0-9a-f]{32}$/i;
/** `metadata` holds at most 100 characters. */
const MAX_REFERENCE_LENGTH = 100;
/** Waits between polls of a QUEUED transaction: about 10 s in all. */
export const DEFAULT_POLL_DELAYS_MS: readonly number[] = [250, 500, 750, 1000, 1500, 2000, 2000, 2000];
const PENDING = new Set(['QUEUED', 'WAITING']);

/** What an operator or a test may tune (never tenant input). */
export interface ShippoProviderTuning {
  /** Waits before each poll of a QUEUED transaction; their count bounds the polls. */
  pollDelaysMs?: readonly number[];
  lookup?: LookupTuning;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The port over Shippo for one carrier account (`carrier_account`). Single labels are instant
 * transactions with our reference as `metadata`, found again by listing recent transactions;
 * large shares of a batch go through Shippo's batch API (`nativeBatch`).
 */
export class ShippoProvider implements LabelProvider {
  readonly key = 'shippo';
  readonly capabilities = SHIPPO_CAPABILITIES;
  readonly nativeBatch: ShippoNativeBatch;
  /** The smallest share of a batch this account buys through `nativeBatch` (`native_batch_min_size`). */
  readonly nativeBatchMinSize: number;

  constructor(
    private readonly client: ShippoClient,
    options: ShippoProviderOptions,
    private readonly context: ProviderContext,
    private readonly tuning: ShippoProviderTuning = {},
  ) {
    this.nativeBatchMinSize = options.native_batch_min_size ?? 50;
    this.nativeBatch = new ShippoNativeBatch(client, context, (id, reference) => this.labelByTransaction(id, reference), this.nativeBatchMinSize);
  }

  async validateShipment(command: ValidateShipmentCommand): Promise<ValidationProblem[]> {
    const problems = [...validateShippoShipment(command.shipment), ...this.carrierProblems(command.carrier)];
    const offered = this.capabilities.serviceLevels[this.context.carrier] ?? [];
    if (!offered.includes(command.serviceLevelToken)) {
      problems.push({
        field: 'servicelevel_token',
        code: 'service_level_unknown',
        text: `Service level '${command.serviceLevelToken}' is not a Shippo ${this.context.carrier} service level (e.g. ${offered.slice(0, 3).join(', ') || 'none'}).`,
        severity: 'INVALID',
      });
    }
    return problems;
  }

  async purchaseLabel(command: PurchaseLabelCommand): Promise<PurchasedLabel> {
    const problems = [...validateShippoShipment(command.shipment), ...this.carrierProblems(command.carrier)];
    if (typeof command.reference !== 'string' || command.reference.length === 0 || command.reference.length > MAX_REFERENCE_LENGTH) {
      problems.push({ field: 'reference', code: 'reference_invalid', text: `The reference must have 1 to ${MAX_REFERENCE_LENGTH} characters.`, severity: 'INVALID' });
    }
    if (problems.length > 0) {
      throw this.refusal(`shippo: the shipment cannot be bought: ${problems.map((p) => p.text).join(' ')}`, { field: problems[0]?.field, provider_code: problems[0]?.code, problems });
    }
    const created = await this.client.createTransaction({
      shipment: toShShipment(command.shipment),
      carrier_account: this.client.carrierAccount,
      servicelevel_token: command.serviceLevelToken,
      label_file_type: command.labelFileType,
      metadata: command.reference,
      async: false,
    });
    // The label is bought (or being bought) from here on: every failure below may have committed.
    const inlineRate = typeof created.rate === 'object' && created.rate ? rateFacts(created.rate) : undefined;
    const done = PENDING.has(created.status ?? '') ? await this.untilDone(created) : created;
    return this.toLabel(done, command.reference, command.serviceLevelToken, inlineRate);
  }

  async findPurchase(reference: string, options: { since?: Date } = {}): Promise<PurchasedLabel | null> {
    const found = await scanForReference(this.client, reference, options.since, this.tuning.lookup);
    return found ? this.toLabel(found, reference, '') : null;
  }

  async downloadDocument(url: string): Promise<LabelDocument> {
    const file = await this.client.download(url);
    const extension = documentExtension(file.contentType, url);
    return { contentType: file.contentType || contentTypeOf(extension), extension, content: file.content };
  }

  async voidLabel(providerLabelId: string): Promise<VoidResult> {
    if (!SHIPPO_ID.test(providerLabelId)) {
      throw new ProviderNotFoundError(this.client.redact(`shippo: no transaction '${providerLabelId}' (Shippo object ids are 32 hex digits)`), { details: { provider_code: 'invalid_identifier' } });
    }
    try {
      const refund = await this.client.refund(providerLabelId);
      if (refund.status === 'ERROR') return { approved: false, message: 'Shippo refused the refund (status ERROR).' };
      if (refund.status === 'SUCCESS') return { approved: true, message: 'Shippo refunded the label.' };
      return { approved: true, message: `Refund requested: Shippo reports it ${refund.status ?? 'QUEUED'}; the carrier confirms it later.` };
    } catch (error) {
      if (error instanceof ProviderValidationError && /already/i.test(error.message)) {
        return { approved: false, message: this.client.redact(`This label was already refunded (${error.message}).`) };
      }
      throw error;
    }
  }

  /** The label of a transaction read by id (batch shipments, QUEUED purchases). */
  private async labelByTransaction(id: string, reference: string): Promise<PurchasedLabel> {
    return this.toLabel(await this.client.transaction(id), reference, '');
  }

  /** Polls a QUEUED / WAITING transaction until it is done; still pending, or a failed poll: unavailable, possibly committed. */
  private async untilDone(created: ShTransaction): Promise<ShTransaction> {
    let current = created;
    for (const delay of this.tuning.pollDelaysMs ?? DEFAULT_POLL_DELAYS_MS) {
      await sleep(delay);
      try {
        current = await this.client.transaction(created.object_id);
      } catch (error) {
        throw new ProviderUnavailableError(this.client.redact(`shippo: transaction ${created.object_id} was ${created.status}; reading it again failed: ${(error as Error).message}`), {
          cause: error,
          possiblyCommitted: true,
          retryAfterMs: isProviderError(error) ? error.retryAfterMs : undefined,
          details: { transaction: created.object_id, status: current.status },
        });
      }
      if (!PENDING.has(current.status ?? '')) return current;
    }
    throw new ProviderUnavailableError(`shippo: transaction ${created.object_id} is still ${current.status} after ${(this.tuning.pollDelaysMs ?? DEFAULT_POLL_DELAYS_MS).length} polls; it will be looked up by reference later`, {
      possiblyCommitted: true,
      details: { transaction: created.object_id, status: current.status },
    });
  }

  /** A done transaction -> the label (SUCCESS), or the error Shippo's messages say. */
  private async toLabel(t: ShTransaction, reference: string, serviceLevelToken: string, known?: RateFacts): Promise<PurchasedLabel> {
    if (t.status === 'SUCCESS') {
      const facts = known ?? (await this.rateOf(t));
      return toPurchasedLabel(t, facts, t.metadata || reference, this.context.carrier, serviceLevelToken);
    }
    if (t.status === 'ERROR') {
      const messages = toMessages(t.messages);
      const text = messages.map((m) => (m.source ? `${m.text} (${m.source}${m.code ? `: ${m.code}` : ''})` : m.text)).join('; ') || 'no message';
      throw this.refusal(`shippo: the label was not bought: ${text}`, { transaction: t.object_id, provider_code: messages[0]?.code || undefined, messages });
    }
    if (PENDING.has(t.status ?? '')) {
      throw new ProviderUnavailableError(`shippo: transaction ${t.object_id} is still ${t.status}`, { details: { transaction: t.object_id, status: t.status } });
    }
    throw new ProviderValidationError(`shippo: transaction ${t.object_id} is ${t.status ?? 'without a status'}, not a label`, { details: { transaction: t.object_id, status: t.status } });
  }

  /** Cost and service of a transaction whose `rate` is an id (reads and listings), by GET /rates/{id}. */
  private async rateOf(t: ShTransaction): Promise<RateFacts> {
    if (typeof t.rate === 'object' && t.rate) return rateFacts(t.rate);
    if (typeof t.rate === 'string' && t.rate) return rateFacts(await this.client.rate(t.rate));
    return { cost: { amountMinor: 0, currency: 'usd' } };
  }

  /** A refusal decided here, before any request: redacted like every error from an answer. */
  private refusal(message: string, details: Record<string, unknown>): ProviderValidationError {
    return new ProviderValidationError(this.client.redact(message), { details: this.client.redact(details) });
  }

  private carrierProblems(carrier: string): ValidationProblem[] {
    if (carrier === this.context.carrier) return [];
    return [{ field: 'carrier', code: 'carrier_mismatch', text: `This carrier account ships with ${this.context.carrier}, not ${carrier}.`, severity: 'INVALID' }];
  }
}
