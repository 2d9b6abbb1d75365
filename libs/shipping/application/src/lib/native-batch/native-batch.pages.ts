import { Inject, Injectable, Logger } from '@nestjs/common';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import type { NativeBatchPort } from '@shipbatch/providers/core';
import { NATIVE_BATCH_TRANSITIONS, toState } from '@shipbatch/shipping/domain';
import { NATIVE_BATCH_REPOSITORY, QUEUES } from '../tokens';
import { type NativeBatchJobData, nativeJobId, nativePageJobId } from './native-batch.jobs';
import type { NativeBatchListName, NativeBatchRecord, NativeBatchRepository } from './native-batch.repository';
import { NativeBatchSettlement } from './native-batch.settlement';

/**
 * The PURCHASED step of a native batch: records the pages of every list of the purchased
 * provider batch (reading page 1 of each for their count) and rings a job per page not done
 * (NativeBatchCollector collects each, on any worker); once every page is done, what none
 * settled goes back to single purchases, looked up first (the provider batch may have bought
 * it), and the native batch is COLLECTED.
 */
@Injectable()
export class NativeBatchPages {
  private readonly logger = new Logger(NativeBatchPages.name);

  constructor(
    @Inject(NATIVE_BATCH_REPOSITORY) private readonly natives: NativeBatchRepository,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    private readonly settle: NativeBatchSettlement,
  ) {}

  /** `open` while pages are left (their jobs rung), `collected` once the native batch is done. */
  async collect(nb: NativeBatchRecord, providerBatchId: string, port: NativeBatchPort): Promise<'open' | 'collected'> {
    let pages = await this.natives.pages(nb.id);
    const planned = new Set(pages.map((p) => p.list));
    const unplanned = port.lists.filter((list) => !planned.has(list));
    for (const list of unplanned) {
      const first = await port.list(providerBatchId, list, 1);
      await this.natives.planPages(nb.id, list, Math.max(1, first.pages));
    }
    if (unplanned.length > 0) pages = await this.natives.pages(nb.id);
    const open = pages.filter((p) => !p.done);
    if (open.length > 0) {
      await this.ringPages(nb.id, open.filter((p) => !p.leased));
      return 'open';
    }
    const left = await this.natives.shipments(nb.id);
    const fields = { batch_id: nb.batchId, tenant_id: nb.tenantId, native_batch_id: nb.id, carrier_account_id: nb.carrierAccountId };
    if (left.length > 0) {
      this.logger.warn(`batch ${nb.batchId}: native batch ${nb.id}: ${left.length} shipment(s) on no page of provider batch ${providerBatchId}; bought alone, looked up first`, fields);
      await this.settle.giveBack(nb, left.map((s) => s.id), true);
    }
    if (await this.natives.move(nb.id, nb.state, toState(NATIVE_BATCH_TRANSITIONS, 'collected'))) {
      this.logger.log(`batch ${nb.batchId}: native batch ${nb.id} collected`, fields);
    }
    return 'collected';
  }

  /**
   * Rings the job of each page: one id per page and round, so a page whose job is waiting is not
   * rung twice; but a page a dead worker abandoned gets a new id (its old job may still count as
   * active in the queue until the queue notices the worker is gone).
   */
  private async ringPages(nativeBatchId: string, pages: Array<{ list: NativeBatchListName; page: number; failures: number; abandoned: boolean }>): Promise<void> {
    await this.queue.addBulk(
      QUEUES.nativeBatch,
      pages.map((p) => ({
        data: { nativeBatchId, list: p.list, page: p.page } satisfies NativeBatchJobData,
        options: { jobId: p.abandoned ? nativeJobId(nativeBatchId, `${p.list}-${p.page}-abandoned`) : nativePageJobId(nativeBatchId, p.list, p.page, p.failures) },
      })),
    );
  }
}
