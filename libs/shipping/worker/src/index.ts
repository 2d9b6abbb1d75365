export * from './lib/shipping-worker.module';
export * from './lib/validate-batch.processor';
export * from './lib/purchase-shipment.processor';
