export * from './lib/shipstation.definition';
export * from './lib/shipstation.capabilities';
export * from './lib/shipstation-provider.options';
export * from './lib/shipstation.client';
export * from './lib/shipstation.provider';
export * from './lib/shipstation.mapper';
