import {
  isProviderError,
  type LabelFileType,
  type NativeBatchAdmission,
  type NativeBatchList,
  type NativeBatchListPage,
  type NativeBatchMember,
  type NativeBatchOutcome,
  type NativeBatchPort,
  type NativeBatchPrepared,
  type NativeBatchStatus,
  type ProviderContext,
  ProviderNotFoundError,
  ProviderValidationError,
  type PurchaseLabelCommand,
} from '@shipbatch/providers/core';
import { SHIPSTATION_SHIPMENTS_PER_CREATE, type ShipStationBatchClient } from './shipstation-batch.client';
import { batchErrorMessage, createdShipments, listPages, toNativeBatchStatus, type SsCreatedShipment, toBatchLabel, toProcessRequest, toSsShipmentCreate } from './shipstation-batch.mapper';
import { admitToBatch } from './shipstation-batch.rules';
import type { ShipStationClient } from './shipstation.client';
import { isExternalIdConflict, isExternalIdConflictText } from './shipstation.conflicts';
import type { ShipStationWarehouses } from './shipstation-warehouses';

/** Lookups of shipments by external id at once (each paced under the account's budget). */
const LOOKUP_CONCURRENCY = 4;
/** From this many shipments to find again, the account's recent shipments are listed first. */
const LIST_FROM = 5;
/** How far back, how many pages and how large, the listing of recent shipments reads. */
const RECENT_MS = 30 * 60_000;
const RECENT_PAGES = 4;
const RECENT_PAGE_SIZE = 500;
/** Tries of one read made while finding shipments again (a 429 waited out, a passing failure after a pause). */
const READ_TRIES = 5;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A read, tried again on a 429 (after its Retry-After, at most 10 s) or a retryable failure (250 ms, doubling). */
async function read<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const again = isProviderError(error) && (error.code === 'rate_limited' || error.retryable) && !(error instanceof ProviderNotFoundError);
      if (!again || attempt >= READ_TRIES) throw error;
      await sleep(error.code === 'rate_limited' ? Math.min(error.retryAfterMs ?? 1_000, 10_000) : 250 * 2 ** (attempt - 1));
    }
  }
}

async function eachAtMost<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const run = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, run));
  return out;
}

/**
 * ShipStation's batch API for the core's resumable sequence (see the README's "Batches"):
 * admit by warehouse, prepare (shipments in bulk, `external_shipment_id` = our reference, found
 * again when a repeat finds them made), create the batch (`external_batch_id` = our native batch
 * id, found again by it), poll, process once, then read the labels by batch and the batch's
 * errors. A shipment refused for insufficient funds is bought alone (the funding policy applies
 * there); the batch is never processed twice.
 */
export class ShipStationNativeBatch implements NativeBatchPort {
  readonly prepareChunkSize = SHIPSTATION_SHIPMENTS_PER_CREATE;
  readonly lists: readonly NativeBatchList[] = ['labels', 'errors'];

  constructor(
    private readonly client: ShipStationClient,
    private readonly batches: ShipStationBatchClient,
    private readonly warehouses: ShipStationWarehouses,
    private readonly context: ProviderContext,
    /** The smallest share worth a ShipStation batch (`native_batch_min_size`). */
    readonly minSize = 50,
  ) {}

  admit(labelFileType: LabelFileType, command: PurchaseLabelCommand): NativeBatchAdmission {
    return admitToBatch(labelFileType, command, this.context.carrier);
  }

  async prepare(input: { reference: string; labelFileType: LabelFileType; commands: PurchaseLabelCommand[] }): Promise<NativeBatchPrepared[]> {
    const { commands } = input;
    if (commands.length === 0) return [];
    if (commands.length > SHIPSTATION_SHIPMENTS_PER_CREATE) {
      throw new ProviderValidationError(`shipstation: at most ${SHIPSTATION_SHIPMENTS_PER_CREATE} shipments a create (got ${commands.length})`);
    }
    const shipments = await Promise.all(
      commands.map(async (c) => toSsShipmentCreate(c, this.client.carrierId, await this.warehouses.idFor(c.shipment.addressFrom, c.shipment.addressReturn))),
    );
    const references = commands.map((c) => c.reference);
    let answer;
    try {
      answer = await this.batches.createShipments(shipments);
    } catch (error) {
      // Some of them exist already (an earlier create whose answer was lost): find each again,
      // and make the others.
      if (!isExternalIdConflict(error)) throw error;
      const found = await this.findShipments(references);
      const missing = shipments.filter((s) => !found.has(s.external_shipment_id));
      const made = missing.length ? createdShipments(await this.batches.createShipments(missing), missing.map((s) => s.external_shipment_id)) : [];
      const madeBy = new Map(made.map((m) => [m.reference, m]));
      return references.map((reference) => this.prepared(madeBy.get(reference) ?? { reference, messages: [] }, found.get(reference)));
    }
    const created = createdShipments(answer, references);
    // A shipment refused as a duplicate of ours was made by an earlier call: find it again.
    const duplicates = created.filter((c) => !c.shipmentId && c.messages.some((m) => isExternalIdConflictText(m.text))).map((c) => c.reference);
    const found = duplicates.length ? await this.findShipments(duplicates) : new Map<string, string>();
    return created.map((c) => this.prepared(c, found.get(c.reference)));
  }

  async create(input: { reference: string; batchReference: string; labelFileType: LabelFileType; members: NativeBatchMember[] }): Promise<{ providerBatchId: string }> {
    const ids = input.members.map((m) => m.providerShipmentId);
    if (ids.length === 0 || ids.some((id) => !id)) {
      throw new ProviderValidationError(`shipstation: every shipment of a batch must be made first (${ids.filter((id) => !id).length} of ${ids.length} have no ShipStation shipment)`);
    }
    const batch = await this.batches.createBatch({ external_batch_id: input.reference, batch_notes: `Shipbatch batch ${input.batchReference}`, shipment_ids: ids as string[] });
    return { providerBatchId: batch.batch_id };
  }

  async find(reference: string): Promise<{ providerBatchId: string } | null> {
    try {
      const batch = await this.batches.batchByExternalId(reference);
      return batch?.batch_id ? { providerBatchId: batch.batch_id } : null;
    } catch (error) {
      if (error instanceof ProviderNotFoundError) return null;
      throw error;
    }
  }

  async status(providerBatchId: string): Promise<NativeBatchStatus> {
    return toNativeBatchStatus((await this.batches.batch(providerBatchId)).status);
  }

  async purchase(providerBatchId: string, input: { labelFileType: LabelFileType }): Promise<void> {
    const body = toProcessRequest(input.labelFileType);
    if (!body) throw new ProviderValidationError(`shipstation: ShipStation makes no ${input.labelFileType} labels`);
    await this.batches.processBatch(providerBatchId, body);
  }

  async list(providerBatchId: string, list: NativeBatchList, page: number): Promise<NativeBatchListPage> {
    if (list === 'labels') {
      const answer = await this.batches.labelsOfBatch(providerBatchId, page);
      const items: NativeBatchOutcome[] = [];
      for (const listed of answer.labels ?? []) {
        const found = toBatchLabel(listed, () => undefined, this.context.carrier);
        if (found) items.push({ reference: found.reference, kind: 'label', label: found.label });
      }
      return { items, pages: listPages(page, answer) };
    }
    const answer = await this.batches.batchErrors(providerBatchId, page);
    const items: NativeBatchOutcome[] = [];
    for (const error of answer.errors ?? []) {
      // An error naming no external_shipment_id is left out: that shipment is then looked up by
      // its reference and bought alone if it has no label.
      if (!error.external_shipment_id) continue;
      const message = batchErrorMessage(error);
      items.push({ reference: error.external_shipment_id, kind: message.code === 'insufficient_funds' ? 'buy_alone' : 'failed', messages: [message] });
    }
    return { items, pages: listPages(page, answer) };
  }

  /** What became of one shipment: made (or found again), else refused with ShipStation's messages (one saying so when it gave none). */
  private prepared(c: SsCreatedShipment, foundId?: string): NativeBatchPrepared {
    const id = c.shipmentId ?? foundId;
    if (id) return { reference: c.reference, providerShipmentId: id };
    const messages = c.messages.length
      ? c.messages
      : [{ source: 'shipstation', code: 'shipment_not_created', text: `ShipStation made no shipment with external_shipment_id ${c.reference}.` }];
    return { reference: c.reference, rejected: messages };
  }

  /**
   * The ShipStation shipment id of each reference that has one: first from the account's pending
   * shipments made in the last RECENT_MS (`GET /v2/shipments`, newest first, a few pages: one
   * request finds a whole chunk an earlier create made), then one by one
   * (`GET /v2/shipments/external_shipment_id/{id}`) for those not seen there. Each read is tried
   * again on a 429 or a passing failure, so a flaky answer does not send the whole chunk round
   * again.
   */
  private async findShipments(references: string[]): Promise<Map<string, string>> {
    const wanted = new Set(references);
    const found = new Map<string, string>();
    if (references.length >= LIST_FROM) {
      const since = new Date(Date.now() - RECENT_MS).toISOString();
      for (let page = 1; page <= RECENT_PAGES && found.size < wanted.size; page++) {
        const answer = await read(() =>
          this.batches.listShipments({ created_at_start: since, shipment_status: 'pending', sort_by: 'created_at', sort_dir: 'desc', page, page_size: RECENT_PAGE_SIZE }),
        );
        for (const s of answer.shipments ?? []) {
          if (s.external_shipment_id && wanted.has(s.external_shipment_id) && s.shipment_id) found.set(s.external_shipment_id, s.shipment_id);
        }
        if (page >= (answer.pages ?? 1)) break;
      }
    }
    const rest = references.filter((r) => !found.has(r));
    await eachAtMost(rest, LOOKUP_CONCURRENCY, async (reference) => {
      try {
        const shipment = await read(() => this.batches.shipmentByExternalId(reference));
        if (shipment?.shipment_id && shipment.shipment_status !== 'cancelled') found.set(reference, shipment.shipment_id);
      } catch (error) {
        if (!(error instanceof ProviderNotFoundError)) throw error;
      }
    });
    return found;
  }
}
