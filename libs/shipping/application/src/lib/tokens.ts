/** Injection tokens of the application's ports, one a port (the only place they are defined). */
export const BATCH_REPOSITORY = Symbol('BATCH_REPOSITORY');
export const VALIDATION_REPOSITORY = Symbol('VALIDATION_REPOSITORY');
export const PURCHASE_REPOSITORY = Symbol('PURCHASE_REPOSITORY');
export const RECONCILE_REPOSITORY = Symbol('RECONCILE_REPOSITORY');
export const CARRIER_ACCOUNT_REPOSITORY = Symbol('CARRIER_ACCOUNT_REPOSITORY');
export const ADDRESS_REPOSITORY = Symbol('ADDRESS_REPOSITORY');
export const PARCEL_REPOSITORY = Symbol('PARCEL_REPOSITORY');
export const SHIPMENT_REPOSITORY = Symbol('SHIPMENT_REPOSITORY');
export const LABEL_REPOSITORY = Symbol('LABEL_REPOSITORY');
export const FILE_STORAGE = Symbol('FILE_STORAGE');
export const LABEL_MERGER = Symbol('LABEL_MERGER');
export const LABEL_FILES_REPOSITORY = Symbol('LABEL_FILES_REPOSITORY');
export const PROVIDER_GATEWAY = Symbol('PROVIDER_GATEWAY');
export const IDEMPOTENCY_STORE = Symbol('IDEMPOTENCY_STORE');
export const NATIVE_BATCH_REPOSITORY = Symbol('NATIVE_BATCH_REPOSITORY');
export const FUNDING_REPOSITORY = Symbol('FUNDING_REPOSITORY');
export const WEBHOOK_REPOSITORY = Symbol('WEBHOOK_REPOSITORY');
export const WEBHOOK_DELIVERY_REPOSITORY = Symbol('WEBHOOK_DELIVERY_REPOSITORY');
export const WEBHOOK_OBJECT_RENDERER = Symbol('WEBHOOK_OBJECT_RENDERER');
export const SHIPPING_METRICS = Symbol('SHIPPING_METRICS');

/** Queue names. Jobs carry ids only. */
export const QUEUES = {
  validateBatch: 'validate-batch',
  purchaseShipment: 'purchase-shipment',
  /**
   * The express lane: the purchase jobs of a tenant with little to buy (AppConfig
   * `workers.expressMaxShipments`), on slots of their own, ahead of regular work in the process.
   */
  purchaseExpress: 'purchase-express',
  mergeLabelFiles: 'merge-label-files',
  nativeBatch: 'native-batch',
  /** One job per webhook delivery attempt, on a queue of its own so deliveries never slow purchases. */
  webhookDelivery: 'webhook-delivery',
} as const;
