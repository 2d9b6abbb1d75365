import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import {
  BatchQueriesService,
  CarrierAccountsService,
  ChangeBatchShipmentsUseCase,
  CreateBatchUseCase,
  PurchaseBatchUseCase,
  ReusableObjectsService,
} from '@shipbatch/shipping/application';
import { BatchesController } from './controllers/batches.controller';
import { FilesController } from './controllers/files.controller';
import { HealthController } from './controllers/health.controller';
import { IdempotencyInterceptor } from './http/idempotency.interceptor';
import {
  AddressesController,
  CarrierAccountsController,
  ParcelsController,
  TransactionsController,
} from './controllers/objects.controller';

/** The public HTTP API of shipping: Shippo-compatible batches and reusable objects. */
@Module({
  controllers: [
    HealthController,
    BatchesController,
    AddressesController,
    ParcelsController,
    CarrierAccountsController,
    TransactionsController,
    FilesController,
  ],
  providers: [
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
    CreateBatchUseCase,
    ChangeBatchShipmentsUseCase,
    PurchaseBatchUseCase,
    BatchQueriesService,
    ReusableObjectsService,
    CarrierAccountsService,
  ],
})
export class ShippingApiModule {}
