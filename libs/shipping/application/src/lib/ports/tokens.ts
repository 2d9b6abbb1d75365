/** Injection tokens of the application's ports. */
export const BATCH_REPOSITORY = Symbol('BATCH_REPOSITORY');
export const VALIDATION_REPOSITORY = Symbol('VALIDATION_REPOSITORY');
export const PURCHASE_REPOSITORY = Symbol('PURCHASE_REPOSITORY');
export const RECONCILE_REPOSITORY = Symbol('RECONCILE_REPOSITORY');
export const CARRIER_ACCOUNT_REPOSITORY = Symbol('CARRIER_ACCOUNT_REPOSITORY');
export const FILE_STORAGE = Symbol('FILE_STORAGE');
/** The earlier name of FILE_STORAGE (the same token). */
export const LABEL_FILE_STORE = FILE_STORAGE;
export const LABEL_FILES_REPOSITORY = Symbol('LABEL_FILES_REPOSITORY');
export const PROVIDER_GATEWAY = Symbol('PROVIDER_GATEWAY');
export const NATIVE_BATCH_REPOSITORY = Symbol('NATIVE_BATCH_REPOSITORY');

/** Queue names. Jobs carry ids only. */
export const QUEUES = {
  validateBatch: 'validate-batch',
  purchaseShipment: 'purchase-shipment',
  mergeLabelFiles: 'merge-label-files',
  nativeBatch: 'native-batch',
  /** One job per webhook delivery attempt, on a queue of its own so deliveries never slow purchases. */
  webhookDelivery: 'webhook-delivery',
} as const;
export const FUNDING_REPOSITORY = Symbol('FUNDING_REPOSITORY');
export const WEBHOOK_REPOSITORY = Symbol('WEBHOOK_REPOSITORY');
export const WEBHOOK_DELIVERY_REPOSITORY = Symbol('WEBHOOK_DELIVERY_REPOSITORY');
export const WEBHOOK_OBJECT_RENDERER = Symbol('WEBHOOK_OBJECT_RENDERER');
