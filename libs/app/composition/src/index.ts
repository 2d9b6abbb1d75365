export * from './lib/app.module';
export * from './lib/worker.module';
export * from './lib/create-api-app';
export * from './lib/create-worker-context';
export * from './lib/logging';
export * from './lib/metrics/observability.module';
export * from './lib/metrics/prometheus-shipping.metrics';
export * from './lib/metrics/prometheus-provider-http.metrics';
