export * from './lib/provider-errors';
export * from './lib/provider.models';
export * from './lib/label-provider.port';
export * from './lib/pacing';
