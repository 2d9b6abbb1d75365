export * from './lib/tokens';
export * from './lib/typeorm-sql.client';
export * from './lib/throttle.pacer';
export * from './lib/provider-runtime.module';
