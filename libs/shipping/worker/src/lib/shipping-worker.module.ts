import { Module } from '@nestjs/common';
import {
  FundingService,
  MergeLabelFilesUseCase,
  PurchasedLabelFiles,
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
    PurchasedLabelFiles,
    MergeLabelFilesUseCase,
    ReconcileUseCase,
    FundingService,
    ValidateBatchProcessor,
    PurchaseShipmentProcessor,
    MergeLabelFilesProcessor,
    ReconcileScheduler,
  ],
})
export class ShippingWorkerModule {}
