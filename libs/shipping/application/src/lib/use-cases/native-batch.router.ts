import { Inject, Injectable, Logger } from '@nestjs/common';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import type { CarrierAccountRepository } from '../ports/carrier-account.repository';
import type { NativeBatchRepository } from '../ports/native-batch.repository';
import type { ProviderGateway } from '../ports/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, NATIVE_BATCH_REPOSITORY, PROVIDER_GATEWAY, QUEUES } from '../ports/tokens';
import { type NativeBatchJobData, nativeJobId } from './native-batch.use-case';

/** The share a provider's batch API takes when its adapter does not say (Shippo's default). */
export const DEFAULT_NATIVE_MIN_SIZE = 50;

/**
 * Decides, when a batch's purchase starts, which carrier accounts' shares go through their
 * provider's own batch API: a provider whose capabilities declare `nativeBatch`, for a share of
 * at least its `minSize` (and at most its `maxSize`) never-attempted shipments. Those are handed
 * to a native batch (one statement) and its job rung; the rest are bought one by one.
 * Retries of failed shipments never take this path (they were attempted).
 */
@Injectable()
export class NativeBatchRouter {
  private readonly logger = new Logger(NativeBatchRouter.name);

  constructor(
    @Inject(NATIVE_BATCH_REPOSITORY) private readonly natives: NativeBatchRepository,
    @Inject(CARRIER_ACCOUNT_REPOSITORY) private readonly accounts: CarrierAccountRepository,
    @Inject(PROVIDER_GATEWAY) private readonly providers: ProviderGateway,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
  ) {}

  /** Returns the ids of the shipments handed to native batches. */
  async route(tenantId: string, batchId: string, labelFileType: string): Promise<Set<string>> {
    const handed = new Set<string>();
    for (const share of await this.natives.queuedShares(batchId)) {
      const account = await this.accounts.findById(tenantId, share.carrierAccountId);
      if (!account?.active) continue;
      let nativeBatch;
      let maxSize = 0;
      try {
        const provider = this.providers.forAccount(account);
        nativeBatch = provider.nativeBatch;
        maxSize = provider.capabilities.nativeBatch?.maxSize ?? 0;
      } catch {
        continue; // a bad stored account: its single purchases fail with the reason
      }
      if (!nativeBatch || share.count < (nativeBatch.minSize ?? DEFAULT_NATIVE_MIN_SIZE) || share.count > maxSize) continue;
      const native = await this.natives.handOver({ tenantId, batchId, carrierAccountId: account.id, labelFileType });
      if (!native) continue;
      for (const id of native.shipmentIds) handed.add(id);
      this.logger.log(
        `batch ${batchId}: ${native.shipmentIds.length} shipments of carrier account ${account.id} go through ${account.provider}'s batch API (native batch ${native.id})`,
        { batch_id: batchId, tenant_id: tenantId, carrier_account_id: account.id, native_batch_id: native.id },
      );
      await this.queue.add(QUEUES.nativeBatch, { nativeBatchId: native.id } satisfies NativeBatchJobData, { jobId: nativeJobId(native.id, 'start') });
    }
    return handed;
  }
}
