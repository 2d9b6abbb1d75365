import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import {
  BatchQueriesService,
  CarrierAccountsService,
  ChangeBatchShipmentsUseCase,
  CreateBatchUseCase,
  FUNDING_PROVIDERS,
  LabelQueriesService,
  NativeBatchRouter,
  PurchaseBatchUseCase,
  ReusableObjectsService,
  ShipmentExtrasPolicy,
  VoidLabelUseCase,
  WEBHOOK_DELIVERY_PROVIDERS,
  WebhooksService,
} from '@shipbatch/shipping/application';
import { BatchesController } from './controllers/batches.controller';
import { FilesController } from './controllers/files.controller';
import { HealthController } from './controllers/health.controller';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import { QueryParametersInterceptor } from './http/query-parameters.interceptor';
import { LabelsController } from './controllers/labels.controller';
import { WebhooksController } from './controllers/webhooks.controller';
import { AddressesController } from './controllers/addresses.controller';
import { CarrierAccountsController } from './controllers/carrier-accounts.controller';
import { ParcelsController } from './controllers/parcels.controller';
import { ShipmentsController } from './controllers/shipments.controller';
import { TransactionsController } from './controllers/transactions.controller';

/** The public HTTP API of shipping: Shippo-compatible batches and reusable objects,
 * ShipStation-compatible labels. */
@Module({
  controllers: [
    HealthController,
    BatchesController,
    AddressesController,
    ParcelsController,
    CarrierAccountsController,
    ShipmentsController,
    TransactionsController,
    FilesController,
    LabelsController,
    WebhooksController,
  ],
  providers: [
    // Unknown or repeated query parameters first: a 400 before anything else runs.
    { provide: APP_INTERCEPTOR, useClass: QueryParametersInterceptor },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    ShipmentExtrasPolicy,
    CreateBatchUseCase,
    ChangeBatchShipmentsUseCase,
    PurchaseBatchUseCase,
    NativeBatchRouter,
    BatchQueriesService,
    ReusableObjectsService,
    CarrierAccountsService,
    LabelQueriesService,
    VoidLabelUseCase,
    ...FUNDING_PROVIDERS,
    WebhooksService,
    ...WEBHOOK_DELIVERY_PROVIDERS,
  ],
})
export class ShippingApiModule {}
