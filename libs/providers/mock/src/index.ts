export * from './lib/mock.definition';
export * from './lib/mock.provider';
export * from './lib/mock-provider.options';
export * from './lib/mock-catalog';
export * from './lib/mock-tracking';
export * from './lib/mock-shipment.validator';
export * from './lib/label/mock-label.renderer';
