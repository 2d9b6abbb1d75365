export * from './lib/providers';
export * from './lib/provider.registry';
export * from './lib/unknown-provider.error';
