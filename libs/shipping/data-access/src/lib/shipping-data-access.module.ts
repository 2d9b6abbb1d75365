import { Global, Module } from '@nestjs/common';
import {
  ADDRESS_REPOSITORY,
  BATCH_REPOSITORY,
  CARRIER_ACCOUNT_REPOSITORY,
  FUNDING_REPOSITORY,
  IDEMPOTENCY_STORE,
  LABEL_FILES_REPOSITORY,
  LABEL_REPOSITORY,
  NATIVE_BATCH_REPOSITORY,
  PARCEL_REPOSITORY,
  PROVIDER_GATEWAY,
  PURCHASE_REPOSITORY,
  RECONCILE_REPOSITORY,
  SHIPMENT_REPOSITORY,
  VALIDATION_REPOSITORY,
  WEBHOOK_DELIVERY_REPOSITORY,
  WEBHOOK_REPOSITORY,
} from '@shipbatch/shipping/application';
import { RegistryProviderGateway } from './registry-provider.gateway';
import { TypeormIdempotencyStore } from './repositories/idempotency.store';
import { TypeormBatchRepository } from './repositories/batch.repository';
import { TypeormCarrierAccountRepository } from './repositories/carrier-account.repository';
import { TypeormFundingRepository } from './repositories/funding.repository';
import { TypeormAddressRepository } from './repositories/address.repository';
import { TypeormLabelRepository } from './repositories/label.repository';
import { TypeormParcelRepository } from './repositories/parcel.repository';
import { TypeormLabelFilesRepository } from './label-files/label-files.repository';
import { TypeormNativeBatchRepository } from './repositories/native-batch.repository';
import { TypeormPurchaseRepository } from './repositories/purchase.repository';
import { TypeormReconcileRepository } from './repositories/reconcile.repository';
import { TypeormShipmentRepository } from './repositories/shipment.repository';
import { TypeormValidationRepository } from './repositories/validation.repository';
import { TypeormWebhookDeliveryRepository } from './repositories/webhook-delivery.repository';
import { TypeormWebhookRepository } from './repositories/webhook.repository';

/**
 * Binds the shipping application's repository and gateway ports to their TypeORM implementations.
 * FILE_STORAGE is bound apart, by the driver the composition picks (`LocalFileStorageModule` here, or
 * `shipping/object-storage`'s `ObjectStorageModule`).
 */
@Global()
@Module({
  providers: [
    { provide: BATCH_REPOSITORY, useClass: TypeormBatchRepository },
    { provide: VALIDATION_REPOSITORY, useClass: TypeormValidationRepository },
    { provide: PURCHASE_REPOSITORY, useClass: TypeormPurchaseRepository },
    { provide: RECONCILE_REPOSITORY, useClass: TypeormReconcileRepository },
    { provide: CARRIER_ACCOUNT_REPOSITORY, useClass: TypeormCarrierAccountRepository },
    { provide: ADDRESS_REPOSITORY, useClass: TypeormAddressRepository },
    { provide: PARCEL_REPOSITORY, useClass: TypeormParcelRepository },
    { provide: LABEL_REPOSITORY, useClass: TypeormLabelRepository },
    { provide: SHIPMENT_REPOSITORY, useClass: TypeormShipmentRepository },
    { provide: LABEL_FILES_REPOSITORY, useClass: TypeormLabelFilesRepository },
    { provide: PROVIDER_GATEWAY, useClass: RegistryProviderGateway },
    { provide: IDEMPOTENCY_STORE, useClass: TypeormIdempotencyStore },
    { provide: NATIVE_BATCH_REPOSITORY, useClass: TypeormNativeBatchRepository },
    { provide: FUNDING_REPOSITORY, useClass: TypeormFundingRepository },
    { provide: WEBHOOK_REPOSITORY, useClass: TypeormWebhookRepository },
    { provide: WEBHOOK_DELIVERY_REPOSITORY, useClass: TypeormWebhookDeliveryRepository },
  ],
  exports: [
    BATCH_REPOSITORY,
    VALIDATION_REPOSITORY,
    PURCHASE_REPOSITORY,
    RECONCILE_REPOSITORY,
    CARRIER_ACCOUNT_REPOSITORY,
    ADDRESS_REPOSITORY,
    PARCEL_REPOSITORY,
    LABEL_REPOSITORY,
    SHIPMENT_REPOSITORY,
    LABEL_FILES_REPOSITORY,
    PROVIDER_GATEWAY,
    IDEMPOTENCY_STORE,
    NATIVE_BATCH_REPOSITORY,
    FUNDING_REPOSITORY,
    WEBHOOK_REPOSITORY,
    WEBHOOK_DELIVERY_REPOSITORY,
  ],
})
export class ShippingDataAccessModule {}
