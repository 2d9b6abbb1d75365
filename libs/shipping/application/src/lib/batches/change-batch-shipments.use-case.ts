import { Inject, Injectable, Optional } from '@nestjs/common';
import { newObjectId } from '@shipbatch/platform/config';
import { QUEUE_PORT, type QueuePort } from '@shipbatch/platform/queue';
import { type Batch, InvalidInputError, NotFoundError } from '@shipbatch/shipping/domain';
import type { BatchRepository } from './batch.repository';
import type { BatchShipmentInput } from './shipment-input';
import { ShipmentExtrasPolicy } from './shipment-extras.policy';
import { BATCH_REPOSITORY, QUEUES, SHIPPING_METRICS } from '../tokens';
import { NO_SHIPPING_METRICS, type ShippingMetrics } from '../common/shipping-metrics.port';

/** Shippo's add_shipments and remove_shipments: allowed until purchase starts. */
@Injectable()
export class ChangeBatchShipmentsUseCase {
  constructor(
    @Inject(BATCH_REPOSITORY) private readonly batches: BatchRepository,
    @Inject(QUEUE_PORT) private readonly queue: QueuePort,
    private readonly extras: ShipmentExtrasPolicy,
    @Optional() @Inject(SHIPPING_METRICS) private readonly metrics: ShippingMetrics = NO_SHIPPING_METRICS,
  ) {}

  async add(tenantId: string, batchId: string, shipments: BatchShipmentInput[]): Promise<Batch> {
    const current = await this.batches.findById(tenantId, batchId);
    if (!current) throw new NotFoundError('Batch', batchId);
    await this.extras.assertHonoured(tenantId, current.snapshot.defaultCarrierAccount, shipments, (i) => `[${i}].shipment`);
    const done = await this.batches.withLockedBatch(tenantId, batchId, async (scope) => {
      scope.batch.assertShipmentsModifiable();
      await scope.appendShipments(shipments.map((input) => ({ id: newObjectId(), input })));
      const step = scope.batch.transition('shipments_added');
      await scope.apply(step);
      return { from: scope.batch.status, to: step.to };
    });
    if (done === null) throw new NotFoundError('Batch', batchId);
    this.metrics.batchTransition(done.from, done.to);
    await this.queue.add(QUEUES.validateBatch, { batchId }, { group: tenantId });
    return this.reload(tenantId, batchId);
  }

  async remove(tenantId: string, batchId: string, shipmentIds: string[]): Promise<Batch> {
    const done = await this.batches.withLockedBatch(tenantId, batchId, async (scope) => {
      scope.batch.assertShipmentsModifiable();
      const unknown = new Set(await scope.unknownShipmentIds(shipmentIds));
      const index = shipmentIds.findIndex((id) => unknown.has(id));
      if (index >= 0) {
        throw new InvalidInputError(
          `batch shipment '${shipmentIds[index]}' is not part of batch ${batchId}`,
          'batch_shipment_not_found',
          `[${index}]`,
        );
      }
      await scope.removeShipments(shipmentIds);
      // VALID or INVALID again; a VALIDATING batch stays so unless nothing is left to validate.
      const step = scope.batch.afterShipmentsRemoved(await scope.counts());
      if (step) await scope.apply(step);
      return { moved: step ? { from: scope.batch.status, to: step.to } : null };
    });
    if (done === null) throw new NotFoundError('Batch', batchId);
    if (done.moved) this.metrics.batchTransition(done.moved.from, done.moved.to);
    return this.reload(tenantId, batchId);
  }

  private async reload(tenantId: string, batchId: string): Promise<Batch> {
    const batch = await this.batches.findById(tenantId, batchId);
    if (!batch) throw new NotFoundError('Batch', batchId);
    return batch;
  }
}
