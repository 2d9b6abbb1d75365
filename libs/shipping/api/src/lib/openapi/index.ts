export * from './decorators';
export * from './schemas';
