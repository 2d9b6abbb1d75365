import { Module } from '@nestjs/common';
import {
  MergeLabelFilesUseCase,
  PurchaseShipmentUseCase,
  ReconcileUseCase,
  ValidateBatchUseCase,
} from '@shipbatch/shipping/application';
import { MergeLabelFilesProcessor } from './merge-label-files.processor';
import { PurchaseShipmentProcessor } from './purchase-shipment.processor';
import { ReconcileScheduler } from './reconcile.scheduler';
import { ValidateBatchProcessor } from './validate-batch.processor';

/** Queue processors and the reconciler: what a worker process runs. */
@Module({
  providers: [
    ValidateBatchUseCase,
    PurchaseShipmentUseCase,
    MergeLabelFilesUseCase,
    ReconcileUseCase,
    ValidateBatchProcessor,
    PurchaseShipmentProcessor,
    MergeLabelFilesProcessor,
    ReconcileScheduler,
  ],
})
export class ShippingWorkerModule {}
