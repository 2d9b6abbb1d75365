// The worker process's entry point (`@shipbatch/app/composition/worker`): what apps/worker needs,
// without the API's modules, so a worker never loads the HTTP library (shipping/api).
export * from './lib/create-worker-context';
export * from './lib/worker.module';
export { createRootLogger } from './lib/logging';
export * from './lib/graceful-shutdown';
