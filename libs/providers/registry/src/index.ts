export * from './lib/providers';
export * from './lib/provider.registry';
