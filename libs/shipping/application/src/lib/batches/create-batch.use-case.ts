import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { APP_CONFIG, type AppConfig, newObjectId } from '@shipbatch/platform/config';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import type { Batch } from '@shipbatch/shipping/domain';
import type { BatchRepository } from './batch.repository';
import type { BatchShipmentInput } from './shipment-input';
import { ShipmentExtrasPolicy } from './shipment-extras.policy';
import { BATCH_REPOSITORY, QUEUES, SHIPPING_METRICS } from '../tokens';
import type { ValidateBatchJob } from './validate-batch.use-case';
import { NO_SHIPPING_METRICS, type ShippingMetrics } from '../common/shipping-metrics.port';

export interface CreateBatchCommand {
  tenantId: string;
  defaultCarrierAccount: string;
  defaultServicelevelToken: string;
  labelFiletype: string;
  metadata: string;
  shipments: BatchShipmentInput[];
}

/**
 * Stores the batch and its shipments as sent (set-based, one transaction) and rings the
 * bell for background validation. Answers at once with the batch in VALIDATING.
 */
@Injectable()
export class CreateBatchUseCase {
  private readonly logger = new Logger(CreateBatchUseCase.name);

  constructor(
    @Inject(BATCH_REPOSITORY) private readonly batches: BatchRepository,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    private readonly extras: ShipmentExtrasPolicy,
    @Optional() @Inject(SHIPPING_METRICS) private readonly metrics: ShippingMetrics = NO_SHIPPING_METRICS,
    @Optional() @Inject(APP_CONFIG) private readonly config?: AppConfig,
  ) {}

  async execute(command: CreateBatchCommand): Promise<Batch> {
    // An option the shipment's provider cannot honour: a 400 naming it, before anything is stored.
    await this.extras.assertHonoured(command.tenantId, command.defaultCarrierAccount, command.shipments, (i) => `batch_shipments[${i}].shipment`);
    const id = newObjectId();
    await this.batches.create(
      {
        id,
        tenantId: command.tenantId,
        defaultCarrierAccount: command.defaultCarrierAccount,
        defaultServicelevelToken: command.defaultServicelevelToken,
        labelFiletype: command.labelFiletype,
        metadata: command.metadata,
      },
      command.shipments.map((input) => ({ id: newObjectId(), input })),
    );
    this.metrics.batchTransition('none', 'VALIDATING');
    this.logger.log(`batch ${id} created with ${command.shipments.length} shipment(s)`, {
      batch_id: id,
      tenant_id: command.tenantId,
      shipments: command.shipments.length,
    });
    // If this enqueue is lost (crash), the reconciler finds the VALIDATING batch.
    // A small batch is validated as express work: ahead of regular work in the worker (ExpressFirst).
    const job: ValidateBatchJob =
      command.shipments.length <= (this.config?.workers.expressMaxShipments ?? 0) ? { batchId: id, express: true } : { batchId: id };
    await this.queue.add(QUEUES.validateBatch, job, { group: command.tenantId });
    const batch = await this.batches.findById(command.tenantId, id);
    if (!batch) throw new Error(`batch ${id} vanished after insert`);
    return batch;
  }
}
