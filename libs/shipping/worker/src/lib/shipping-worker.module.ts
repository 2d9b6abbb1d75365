import { Module } from '@nestjs/common';
import { WebhookObjectRendererModule } from '@shipbatch/shipping/presentation';
import {
  DeliverWebhookUseCase,
  ExpressFirst,
  FUNDING_PROVIDERS,
  MergeLabelFilesUseCase,
  NativeBatchCollector,
  NativeBatchCreation,
  NativeBatchPages,
  NativeBatchSettlement,
  NativeBatchSteps,
  NativeBatchUseCase,
  PurchasedLabelFiles,
  PurchaseShipmentUseCase,
  ReconcileUseCase,
  ValidateBatchUseCase,
  WEBHOOK_DELIVERY_PROVIDERS,
  WebhookDispatchUseCase,
} from '@shipbatch/shipping/application';
import { MergeLabelFilesProcessor } from './merge-label-files.processor';
import { NativeBatchProcessor } from './native-batch.processor';
import { PurchaseExpressProcessor } from './purchase-express.processor';
import { PurchaseShipmentProcessor } from './purchase-shipment.processor';
import { ReconcileScheduler } from './reconcile.scheduler';
import { ValidateBatchProcessor } from './validate-batch.processor';
import { WebhookDeliveryProcessor } from './webhook-delivery.processor';
import { WebhookScheduler } from './webhook.scheduler';

/** Queue processors, the reconciler and the webhook passes: what a worker process runs. */
@Module({
  imports: [WebhookObjectRendererModule],
  providers: [
    ValidateBatchUseCase,
    PurchaseShipmentUseCase,
    PurchasedLabelFiles,
    MergeLabelFilesUseCase,
    ReconcileUseCase,
    ...FUNDING_PROVIDERS,
    ValidateBatchProcessor,
    PurchaseShipmentProcessor,
    PurchaseExpressProcessor,
    // One per process: express purchase jobs go ahead of the regular steps of purchases and merges.
    ExpressFirst,
    MergeLabelFilesProcessor,
    NativeBatchSettlement,
    NativeBatchCollector,
    NativeBatchCreation,
    NativeBatchPages,
    NativeBatchSteps,
    NativeBatchUseCase,
    NativeBatchProcessor,
    ReconcileScheduler,
    ...WEBHOOK_DELIVERY_PROVIDERS,
    WebhookDispatchUseCase,
    DeliverWebhookUseCase,
    WebhookDeliveryProcessor,
    WebhookScheduler,
  ],
})
export class ShippingWorkerModule {}
