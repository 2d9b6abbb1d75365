import { Inject, Injectable, Logger } from '@nestjs/common';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import type { LabelFileType, LabelProvider, NativeBatchPort } from '@shipbatch/providers/core';
import type { CarrierAccountRepository } from '../carrier-accounts/carrier-account.repository';
import type { NativeBatchRepository, NativeCandidate } from './native-batch.repository';
import type { ProviderGateway } from '../common/provider.gateway';
import { CARRIER_ACCOUNT_REPOSITORY, NATIVE_BATCH_REPOSITORY, PROVIDER_GATEWAY, QUEUES } from '../tokens';
import { type NativeBatchJobData, nativeJobId } from './native-batch.jobs';

/** The smallest group a provider's batch API takes when its adapter does not say. */
export const DEFAULT_NATIVE_MIN_SIZE = 50;

/**
 * Decides, when a batch's purchase starts, which shipments go through their provider's own
 * batch API: for each carrier account whose provider declares `nativeBatch`, its never-attempted
 * shipments are grouped as the port admits them (`admit`: one provider batch per group; a
 * refused shipment is bought alone), each group of at least `minSize` is split into provider
 * batches of at most `capabilities.nativeBatch.maxSize`, and each of those is handed to a native
 * batch (one statement) and its job rung. The rest are bought one by one, as are retries of
 * failed shipments (they were attempted).
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
      let provider: LabelProvider;
      try {
        provider = this.providers.forAccount(account);
      } catch {
        continue; // a bad stored account: its single purchases fail with the reason
      }
      const port = provider.nativeBatch;
      const maxSize = provider.capabilities.nativeBatch?.maxSize ?? 0;
      const minSize = port?.minSize ?? DEFAULT_NATIVE_MIN_SIZE;
      if (!port || maxSize < 1 || share.count < minSize) continue;
      const fields = { batch_id: batchId, tenant_id: tenantId, carrier_account_id: account.id };
      const { groups, refused } = this.group(port, labelFileType as LabelFileType, await this.natives.candidates(batchId, account.id));
      for (const [reason, ids] of refused) {
        this.logger.log(`batch ${batchId}: ${ids.length} shipments of carrier account ${account.id} are bought one by one: ${reason}`, fields);
      }
      for (const group of groups.filter((g) => g.length >= minSize)) {
        for (let i = 0; i < group.length; i += maxSize) {
          const shipmentIds = group.slice(i, i + maxSize);
          const native = await this.natives.handOver({ tenantId, batchId, carrierAccountId: account.id, labelFileType, shipmentIds });
          if (!native) continue;
          for (const id of native.shipmentIds) handed.add(id);
          this.logger.log(
            `batch ${batchId}: ${native.shipmentIds.length} shipments of carrier account ${account.id} go through ${account.provider}'s batch API (native batch ${native.id})`,
            { ...fields, native_batch_id: native.id },
          );
          await this.queue.add(QUEUES.nativeBatch, { nativeBatchId: native.id } satisfies NativeBatchJobData, { jobId: nativeJobId(native.id, 'start') });
        }
      }
    }
    return handed;
  }

  /** The candidates in groups (batch order kept), and those refused by reason. */
  private group(port: NativeBatchPort, labelFileType: LabelFileType, candidates: NativeCandidate[]) {
    const groups = new Map<string, string[]>();
    const refused = new Map<string, string[]>();
    for (const c of candidates) {
      const admission = port.admit ? port.admit(labelFileType, { reference: c.id, ...c.purchase.command }) : { group: '' };
      const into = 'refused' in admission ? refused : groups;
      const key = 'refused' in admission ? admission.refused : admission.group;
      const ids = into.get(key);
      if (ids) ids.push(c.id);
      else into.set(key, [c.id]);
    }
    return { groups: [...groups.values()], refused };
  }
}
