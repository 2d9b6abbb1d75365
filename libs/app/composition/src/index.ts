export * from './lib/app.module';
export * from './lib/worker.module';
export * from './lib/create-api-app';
export * from './lib/create-worker-context';
export * from './lib/logging';
