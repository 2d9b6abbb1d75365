export * from './lib/shipping-api.module';
export * from './lib/http/api-error';
export * from './lib/http/api-exception.filter';
export * from './lib/http/storable-input';
export * from './lib/http/storable-input.middleware';
export * from './lib/http/storable-params.pipe';
export * from './lib/http/json-only-bodies.middleware';
export * from './lib/http/single-query-parameters.middleware';
