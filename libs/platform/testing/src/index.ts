export * from './lib/test-database';
export * from './lib/test-redis';
export * from './lib/eventually';
export * from './lib/slot-windows';
export * from './lib/temp-dir';
export * from './lib/test-s3';
