export * from './lib/tokens';
export * from './lib/object-storage.module';
export * from './lib/s3-client';
export * from './lib/s3-file.storage';
