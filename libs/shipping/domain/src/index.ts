export * from './lib/batch-status';
export * from './lib/batch-counts';
export * from './lib/batch.aggregate';
export * from './lib/domain.errors';
export * from './lib/money';
export * from './lib/batch-shipment-outcome';
export * from './lib/label-listing';
export * from './lib/label-format';
