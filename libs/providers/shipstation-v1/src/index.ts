export * from './lib/shipstation-v1.definition';
export * from './lib/shipstation-v1-provider.options';
export * from './lib/shipstation-v1.provider';
export * from './lib/shipstation-v1.mapper';
