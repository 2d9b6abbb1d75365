import { Module } from '@nestjs/common';
import {
  FundingService,
  MergeLabelFilesUseCase,
  NativeBatchUseCase,
  PurchasedLabelFiles,
  PurchaseShipmentUseCase,
  ReconcileUseCase,
  ValidateBatchUseCase,
} from '@shipbatch/shipping/application';
import { MergeLabelFilesProcessor } from './merge-label-files.processor';
import { NativeBatchProcessor } from './native-batch.processor';
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
    NativeBatchUseCase,
    NativeBatchProcessor,
    ReconcileScheduler,
  ],
})
export class ShippingWorkerModule {}
