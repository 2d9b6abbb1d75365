import {
  type LabelFileType,
  type NativeBatchPage,
  type NativeBatchPort,
  type NativeBatchShipmentState,
  type NativeBatchState,
  type ProviderContext,
  ProviderNotFoundError,
  ProviderValidationError,
  type PurchaseLabelCommand,
  type PurchasedLabel,
} from '@shipbatch/providers/core';
import { SHIPPO_MAX_BATCH_SIZE } from './shippo.capabilities';
import type { ShippoClient } from './shippo.client';
import { toMessages, toShShipment } from './shippo.mapper';
import type { ShBatch, ShBatchShipment } from './shippo.types';

const hasMore = (b: ShBatch): boolean => Boolean(b.batch_shipments?.next) && (b.batch_shipments?.results?.length ?? 0) > 0;

/** 10,000 shipments at 100 a page, and one more page to see the end. */
const MAX_BATCH_PAGES = SHIPPO_MAX_BATCH_SIZE / 100 + 1;
const METADATA_MAX = 100;

/**
 * Shippo's batch API (`/batches`) for the core's resumable sequence: create (validated by Shippo
 * in the background), read every page, remove the invalid shipments, purchase once, then each
 * bought shipment's label from its transaction. Each shipment's metadata is our reference.
 */
export class ShippoNativeBatch implements NativeBatchPort {
  constructor(
    private readonly client: ShippoClient,
    private readonly context: ProviderContext,
    /** The single-purchase path's way from a transaction to a label (the rate read when needed). */
    private readonly labelOf: (transactionId: string, reference: string) => Promise<PurchasedLabel>,
    /** The smallest share of a batch worth a Shippo batch (`native_batch_min_size`). */
    readonly minSize = 50,
  ) {}

  async create(input: { reference: string; labelFileType: LabelFileType; commands: PurchaseLabelCommand[] }): Promise<{ providerBatchId: string }> {
    const { commands } = input;
    if (commands.length === 0 || commands.length > SHIPPO_MAX_BATCH_SIZE) {
      throw new ProviderValidationError(`shippo: a batch holds 1 to ${SHIPPO_MAX_BATCH_SIZE} shipments (got ${commands.length})`);
    }
    const long = [input.reference, ...commands.map((c) => c.reference)].find((r) => r.length > METADATA_MAX);
    if (long !== undefined) throw new ProviderValidationError(this.client.redact(`shippo: metadata holds at most ${METADATA_MAX} characters ('${long.slice(0, 20)}...' is ${long.length})`));
    const batch = await this.client.createBatch({
      default_carrier_account: this.client.carrierAccount,
      default_servicelevel_token: commands[0].serviceLevelToken,
      label_filetype: input.labelFileType,
      metadata: input.reference,
      batch_shipments: commands.map((c) => ({ shipment: toShShipment(c.shipment), servicelevel_token: c.serviceLevelToken, metadata: c.reference })),
    });
    return { providerBatchId: batch.object_id };
  }

  async get(providerBatchId: string): Promise<NativeBatchState> {
    // Every page is read as of page 1's status (a batch may settle between two page reads).
    const first = await this.client.batch(providerBatchId, 1);
    const raw = [...(first.batch_shipments?.results ?? [])];
    for (let page = 2, batch = first; hasMore(batch) && page <= MAX_BATCH_PAGES; page++) {
      batch = await this.client.batch(providerBatchId, page);
      raw.push(...(batch.batch_shipments?.results ?? []));
    }
    return { providerBatchId, status: first.status, shipments: raw.map((s) => this.shipmentState(first.status, s)) };
  }

  async read(providerBatchId: string, page: number): Promise<NativeBatchPage> {
    const batch = await this.client.batch(providerBatchId, page);
    const shipments = (batch.batch_shipments?.results ?? []).map((s) => this.shipmentState(batch.status, s));
    return { providerBatchId, status: batch.status, shipments, more: hasMore(batch) };
  }

  async remove(providerBatchId: string, providerShipmentIds: string[]): Promise<void> {
    if (providerShipmentIds.length === 0) return;
    await this.client.removeShipments(providerBatchId, providerShipmentIds);
  }

  async purchase(providerBatchId: string): Promise<void> {
    await this.client.purchaseBatch(providerBatchId);
  }

  async label(shipment: NativeBatchShipmentState): Promise<PurchasedLabel> {
    if (!shipment.providerLabelId) {
      throw new ProviderNotFoundError(this.client.redact(`shippo: batch shipment ${shipment.providerShipmentId} (reference ${shipment.reference}) has no transaction`));
    }
    return this.labelOf(shipment.providerLabelId, shipment.reference);
  }

  private shipmentState(batchStatus: ShBatch['status'], s: ShBatchShipment): NativeBatchShipmentState {
    const messages = toMessages(s.messages);
    const out: NativeBatchShipmentState = { reference: s.metadata ?? '', providerShipmentId: s.object_id, status: 'VALID', messages };
    if (s.transaction) out.providerLabelId = s.transaction;
    if (batchStatus === 'VALIDATING') out.status = 'VALIDATING';
    else if (s.status === 'TRANSACTION_FAILED') out.status = 'FAILED';
    else if (s.status === 'INVALID' || s.status === 'INCOMPLETE') out.status = 'INVALID';
    else if (batchStatus === 'PURCHASED') {
      out.status = s.transaction ? 'PURCHASED' : 'FAILED';
      if (!s.transaction) messages.push({ source: 'shipbatch', code: 'no_transaction', text: `Shippo bought no label for this shipment in carrier account ${this.client.carrierAccount} (${this.context.carrier}).` });
    }
    return out;
  }
}
