import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, type NativeBatchSettings } from '@shipbatch/platform/config';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import {
  isProviderError,
  type LabelProvider,
  type NativeBatchOutcome,
  type NativeBatchPort,
  type PurchasedLabel,
} from '@shipbatch/providers/core';
import type { ShipmentMessage } from '@shipbatch/shipping/domain';
import type { CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { NativeBatchListName, NativeBatchRecord, NativeBatchRepository, NativeShipment } from './native-batch.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import type { PurchasedItem, PurchaseRepository } from '../purchase/purchase.repository';
import { CARRIER_ACCOUNT_REPOSITORY, NATIVE_BATCH_REPOSITORY, PROVIDER_GATEWAY, PURCHASE_REPOSITORY, QUEUES, SHIPPING_METRICS } from '../tokens';
import { NO_SHIPPING_METRICS, type ShippingMetrics } from '../common/shipping-metrics.port';
import { concurrencyLimit } from '../common/concurrency.limit';
import { type NativeBatchJobData, nativeJobId, nativePageJobId } from './native-batch.jobs';
import { messagesOr, NativeBatchSettlement } from './native-batch.settlement';
import { PurchasedLabelFiles } from '../label-files/purchased-label.files';

/** Failed reads of one page before it is given up (its shipments are then bought alone, looked up first). */
export const NATIVE_PAGE_MAX_FAILURES = 8;

/**
 * Collects one page of one list of a purchased provider batch: any worker, any page, at the
 * same time as others, under the page's own lease; safe to repeat (what an earlier run
 * recorded is no longer held, so it is skipped). Each outcome settles its shipment: a listed
 * label has its file downloaded; a bought one has its label read first (reads and downloads
 * each run at their own concurrency, so downloads never hold reads back); failures keep the
 * provider's messages; the rest go back to single purchases, looked up first.
 */
@Injectable()
export class NativeBatchCollector {
  private readonly logger = new Logger(NativeBatchCollector.name);
  /**
   * The page lease, and how many labels of a page are read at once (`labelReads`, default 100: a
   * page of Shippo's; each read is paced on its own endpoint's budget by the adapter, so reads go
   * as fast as that limit allows, and the pages in progress on every worker keep it busy) and
   * how many files downloaded at once apart from the reads (`downloads`).
   */
  private readonly settings: NativeBatchSettings;

  constructor(
    @Inject(NATIVE_BATCH_REPOSITORY) private readonly natives: NativeBatchRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
    @Inject(PURCHASE_REPOSITORY) private readonly purchases: PurchaseRepository,
    private readonly files: PurchasedLabelFiles,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    private readonly settle: NativeBatchSettlement,
    @Inject(APP_CONFIG) config: Pick<AppConfig, 'workers'>,
    @Optional() @Inject(SHIPPING_METRICS) private readonly metrics: ShippingMetrics = NO_SHIPPING_METRICS,
  ) {
    this.settings = config.workers.nativeBatch;
  }

  /**
   * Collects the page when it is to be collected and free: `last` when it was the batch's last
   * page left, `done` when others are left, `skipped` when it was not this run's to collect.
   */
  async collect(nativeBatchId: string, list: NativeBatchListName, page: number): Promise<'last' | 'done' | 'skipped'> {
    const nb = await this.natives.find(nativeBatchId);
    if (!nb || nb.state !== 'PURCHASED' || !nb.providerBatchId) return 'skipped';
    if (!(await this.natives.leasePage(nb.id, list, page, this.settings.leaseMs))) return 'skipped';
    try {
      const provider = await this.providerOf(nb);
      // Without its provider the page cannot be read: its shipments are bought alone (looked up first) once every page is done.
      if (provider?.nativeBatch) await this.read(nb, provider, provider.nativeBatch, list, page);
    } catch (error) {
      return (await this.afterFailure(nb, list, page, error)) ? 'last' : 'skipped';
    }
    return (await this.natives.pageDone(nb.id, list, page)) === 0 ? 'last' : 'done';
  }

  async providerOf(nb: NativeBatchRecord): Promise<LabelProvider | null> {
    const account = await this.accounts.findByIdUnscoped(nb.carrierAccountId);
    if (!account || !account.active) return null;
    try {
      return this.providers.forAccount(account);
    } catch {
      return null;
    }
  }

  private async read(nb: NativeBatchRecord, provider: LabelProvider, port: NativeBatchPort, list: NativeBatchListName, page: number): Promise<void> {
    const startedAt = Date.now();
    this.logger.debug(`batch ${nb.batchId}: native batch ${nb.id}: collecting page ${page} of ${list}`, { batch_id: nb.batchId, native_batch_id: nb.id });
    const { items } = await port.list(nb.providerBatchId ?? '', list, page);
    const listedAt = Date.now();
    const held = new Map((await this.natives.shipments(nb.id, items.map((i) => i.reference))).map((s) => [s.id, s]));
    const mine = items.flatMap((outcome) => {
      const claim = held.get(outcome.reference);
      return claim ? [{ claim, outcome }] : [];
    });
    const bought: PurchasedItem[] = [];
    const failed: Array<{ shipmentId: string; messages: ShipmentMessage[] }> = [];
    const alone: string[] = [];
    const reads = concurrencyLimit(this.settings.labelReads);
    const downloads = concurrencyLimit(this.settings.downloads);
    const store = async (claim: NativeShipment, label: PurchasedLabel) => {
      const file = await downloads(() => this.files.store(claim, label, provider));
      bought.push({ claim, label, file });
    };
    const readLabel = async (claim: NativeShipment, outcome: Extract<NativeBatchOutcome, { kind: 'bought' }>) => {
      if (!port.label) throw new Error(`the native batch port of ${provider.key} lists bought labels but cannot read them (label)`);
      const readOne = port.label.bind(port);
      let label: PurchasedLabel;
      try {
        label = await reads(() => readOne(outcome.labelRef, outcome.reference));
      } catch (error) {
        // The provider says this one was not bought after all (its transaction failed): failed with its words.
        if (isProviderError(error) && error.code === 'validation') {
          failed.push({ shipmentId: claim.id, messages: [{ source: 'provider', code: providerCode(error.details) ?? 'purchase_failed', text: error.message }] });
          return;
        }
        throw error;
      }
      await store(claim, label);
    };
    const tasks: Array<Promise<void>> = [];
    for (const { claim, outcome } of mine) {
      if (outcome.kind === 'label') tasks.push(store(claim, outcome.label));
      else if (outcome.kind === 'bought') tasks.push(readLabel(claim, outcome));
      else if (outcome.kind === 'failed') failed.push({ shipmentId: claim.id, messages: messagesOr(outcome.messages, 'purchase_failed', 'the provider could not buy this label') });
      else alone.push(claim.id); // buy_alone, unsettled: bought by a single purchase, looked up first
    }
    const settled = await Promise.allSettled(tasks);
    // What was collected is kept even when another label of the page failed (the page is read again for the rest).
    await this.purchases.recordPurchasedMany(bought);
    if (bought.length > 0) this.metrics.labelsBought(provider.key, bought.length);
    this.metrics.shipmentTransitions('purchase_state', 'PURCHASED', bought.length);
    await this.settle.bought(nb, bought.map((b) => b.claim.id));
    await this.settle.fail(nb, failed);
    for (let i = 0; i < failed.length; i++) this.metrics.labelFailed(provider.key);
    await this.settle.giveBack(nb, alone, true);
    this.logger.debug(
      `batch ${nb.batchId}: native batch ${nb.id}: page ${page} of ${list}: ${bought.length} bought, ${failed.length} failed, ${alone.length} bought alone; read in ${listedAt - startedAt} ms, settled in ${Date.now() - listedAt} ms`,
      { batch_id: nb.batchId, native_batch_id: nb.id },
    );
    const rejected = settled.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (rejected) throw rejected.reason;
  }

  /** A failed page: read again later (a 429 not counted), or given up after NATIVE_PAGE_MAX_FAILURES. */
  private async afterFailure(nb: NativeBatchRecord, list: NativeBatchListName, page: number, error: unknown): Promise<boolean> {
    if (!isProviderError(error)) {
      await this.natives.releasePage(nb.id, list, page, false);
      throw error; // the queue's own retries
    }
    const fields = { batch_id: nb.batchId, tenant_id: nb.tenantId, native_batch_id: nb.id, carrier_account_id: nb.carrierAccountId, code: error.code };
    if (error.code === 'rate_limited') {
      await this.natives.releasePage(nb.id, list, page, false);
      await this.ringPage(nb.id, list, page, nativeJobId(nb.id, `${list}-${page}-rate-limited`), Math.max(error.retryAfterMs ?? 0, 1_000));
      return false;
    }
    const failures = await this.natives.releasePage(nb.id, list, page, true);
    if (failures >= NATIVE_PAGE_MAX_FAILURES) {
      this.logger.warn(`batch ${nb.batchId}: native batch ${nb.id}: page ${page} of ${list} failed ${failures} times (${error.message}); what it holds is bought alone, looked up first`, fields);
      return (await this.natives.pageDone(nb.id, list, page)) === 0;
    }
    const backoff = Math.min(1000 * 2 ** (failures - 1), 60_000);
    this.logger.warn(`batch ${nb.batchId}: native batch ${nb.id}: page ${page} of ${list} failed (${error.code}): ${error.message}; again in ${backoff} ms`, fields);
    await this.ringPage(nb.id, list, page, nativePageJobId(nb.id, list, page, failures), Math.max(error.retryAfterMs ?? 0, backoff));
    return false;
  }

  private ringPage(nativeBatchId: string, list: NativeBatchListName, page: number, jobId: string, delayMs: number): Promise<void> {
    return this.queue.add(QUEUES.nativeBatch, { nativeBatchId, list, page } satisfies NativeBatchJobData, { delayMs, jobId });
  }
}

function providerCode(details: Record<string, unknown> | undefined): string | undefined {
  const code = details?.['provider_code'];
  return typeof code === 'string' && code ? code : undefined;
}
