import { Module } from '@nestjs/common';
import { PurchaseShipmentUseCase, ReconcileUseCase, ValidateBatchUseCase } from '@shipbatch/shipping/application';
import { PurchaseShipmentProcessor } from './purchase-shipment.processor';
import { ReconcileScheduler } from './reconcile.scheduler';
import { ValidateBatchProcessor } from './validate-batch.processor';

/** Queue processors and the reconciler: what a worker process runs. */
@Module({
  providers: [
    ValidateBatchUseCase,
    PurchaseShipmentUseCase,
    ReconcileUseCase,
    ValidateBatchProcessor,
    PurchaseShipmentProcessor,
    ReconcileScheduler,
  ],
})
export class ShippingWorkerModule {}
