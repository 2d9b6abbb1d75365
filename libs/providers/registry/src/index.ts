export * from './lib/providers';
export * from './lib/provider.registry';
export * from './lib/unknown-provider.error';
export * from './lib/invalid-account-options.error';
