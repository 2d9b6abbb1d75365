export * from './lib/shipping-worker.module';
export * from './lib/validate-batch.processor';
export * from './lib/purchase-shipment.processor';
export * from './lib/merge-label-files.processor';
