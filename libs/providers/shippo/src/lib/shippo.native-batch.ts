import {
  type LabelFileType,
  type NativeBatchListPage,
  type NativeBatchMember,
  type NativeBatchOutcome,
  type NativeBatchPort,
  type NativeBatchRejected,
  type NativeBatchStatus,
  type ProviderContext,
  ProviderValidationError,
  type PurchasedLabel,
} from '@shipbatch/providers/core';
import { SHIPPO_MAX_BATCH_SIZE } from './shippo.capabilities';
import { SHIPPO_PAGE_SIZE, type ShippoClient } from './shippo.client';
import { toMessages, toShShipment } from './shippo.mapper';
import type { ShBatch, ShBatchShipment } from './shippo.types';

const hasMore = (b: ShBatch): boolean => Boolean(b.batch_shipments?.next) && (b.batch_shipments?.results?.length ?? 0) > 0;

/** 10,000 shipments at 100 a page, and one more page to see the end. */
const MAX_BATCH_PAGES = SHIPPO_MAX_BATCH_SIZE / SHIPPO_PAGE_SIZE + 1;
const METADATA_MAX = 100;

const STATUS: Record<ShBatch['status'], NativeBatchStatus> = {
  VALIDATING: 'VALIDATING',
  // INVALID: some shipments are; `review` finds them and they are removed before the purchase.
  VALID: 'READY',
  INVALID: 'READY',
  PURCHASING: 'PURCHASING',
  PURCHASED: 'PURCHASED',
};

/**
 * Shippo's batch API (`/batches`) for the core's resumable sequence: create (validated by Shippo
 * in the background; each shipment's metadata our reference), status from page 1, review (every
 * page of an INVALID batch, at once), remove the invalid shipments, purchase once, then the pages of the purchased batch (100
 * a page), each bought shipment's label read from its transaction (`label`). Shippo cannot look
 * a batch up by our reference (no `find`), and makes the shipments with the batch (no `prepare`).
 */
export class ShippoNativeBatch implements NativeBatchPort {
  readonly lists = ['labels'] as const;
  /** Batches whose last status read here was VALID: their review needs no read (nothing changes a validated batch but us). */
  private readonly seenValid = new Set<string>();

  constructor(
    private readonly client: ShippoClient,
    private readonly context: ProviderContext,
    /** The single-purchase path's way from a transaction to a label (the rate read when needed). */
    private readonly labelOf: (transactionId: string, reference: string) => Promise<PurchasedLabel>,
    /** The smallest share of a batch worth a Shippo batch (`native_batch_min_size`). */
    readonly minSize = 50,
  ) {}

  async create(input: { reference: string; batchReference: string; labelFileType: LabelFileType; members: NativeBatchMember[] }): Promise<{ providerBatchId: string }> {
    const commands = input.members.map((m) => m.command);
    if (commands.length === 0 || commands.length > SHIPPO_MAX_BATCH_SIZE) {
      throw new ProviderValidationError(`shippo: a batch holds 1 to ${SHIPPO_MAX_BATCH_SIZE} shipments (got ${commands.length})`);
    }
    const long = [input.batchReference, ...commands.map((c) => c.reference)].find((r) => r.length > METADATA_MAX);
    if (long !== undefined) throw new ProviderValidationError(this.client.redact(`shippo: metadata holds at most ${METADATA_MAX} characters ('${long.slice(0, 20)}...' is ${long.length})`));
    const batch = await this.client.createBatch({
      default_carrier_account: this.client.carrierAccount,
      default_servicelevel_token: commands[0].serviceLevelToken,
      label_filetype: input.labelFileType,
      // Our batch's id: a Shippo user finds the batch by it (Shippo keeps no external id to look it up by).
      metadata: input.batchReference,
      batch_shipments: commands.map((c) => ({ shipment: toShShipment(c.shipment), servicelevel_token: c.serviceLevelToken, metadata: c.reference })),
    });
    return { providerBatchId: batch.object_id };
  }

  async status(providerBatchId: string): Promise<NativeBatchStatus> {
    const { status } = await this.client.batch(providerBatchId, 1);
    if (status === 'VALID') this.seenValid.add(providerBatchId);
    else this.seenValid.delete(providerBatchId);
    return STATUS[status] ?? 'FAILED';
  }

  async review(providerBatchId: string): Promise<NativeBatchRejected[]> {
    if (this.seenValid.delete(providerBatchId)) return [];
    const first = await this.client.batch(providerBatchId, 1);
    // VALID: Shippo found no invalid shipment; INVALID: every page is read (at once) for them.
    if (first.status !== 'INVALID') return [];
    const pages = Math.min(MAX_BATCH_PAGES, Math.max(1, Math.ceil((first.batch_shipments?.count ?? 0) / SHIPPO_PAGE_SIZE)));
    const rest = await Promise.all(Array.from({ length: pages - 1 }, (_, i) => this.client.batch(providerBatchId, i + 2)));
    return [first, ...rest]
      .flatMap((b) => b.batch_shipments?.results ?? [])
      .filter((s) => s.status === 'INVALID' || s.status === 'INCOMPLETE')
      .map((s) => ({ reference: s.metadata ?? '', providerShipmentId: s.object_id, messages: toMessages(s.messages) }));
  }

  async remove(providerBatchId: string, providerShipmentIds: string[]): Promise<void> {
    if (providerShipmentIds.length === 0) return;
    await this.client.removeShipments(providerBatchId, providerShipmentIds);
  }

  async purchase(providerBatchId: string): Promise<void> {
    await this.client.purchaseBatch(providerBatchId);
  }

  async list(providerBatchId: string, list: 'labels' | 'errors', page: number): Promise<NativeBatchListPage> {
    if (list !== 'labels') throw new ProviderValidationError(`shippo: a batch has no '${list}' list (failures are on its pages)`);
    const batch = await this.client.batch(providerBatchId, page);
    const count = batch.batch_shipments?.count ?? 0;
    return {
      items: (batch.batch_shipments?.results ?? []).map((s) => this.outcome(batch.status, s)),
      pages: Math.max(1, Math.ceil(count / SHIPPO_PAGE_SIZE), page + (hasMore(batch) ? 1 : 0)),
    };
  }

  label(transactionId: string, reference: string): Promise<PurchasedLabel> {
    return this.labelOf(transactionId, reference);
  }

  private outcome(batchStatus: ShBatch['status'], s: ShBatchShipment): NativeBatchOutcome {
    const reference = s.metadata ?? '';
    if (s.transaction) return { reference, kind: 'bought', labelRef: s.transaction };
    if (s.status === 'TRANSACTION_FAILED' || s.status === 'INVALID' || s.status === 'INCOMPLETE') return { reference, kind: 'failed', messages: toMessages(s.messages) };
    if (batchStatus === 'PURCHASED') {
      const text = `Shippo bought no label for this shipment in carrier account ${this.client.carrierAccount} (${this.context.carrier}).`;
      return { reference, kind: 'failed', messages: [...toMessages(s.messages), { source: 'shipbatch', code: 'no_transaction', text }] };
    }
    return { reference, kind: 'unsettled' };
  }
}
