export * from './lib/sql-clients';
export * from './lib/fixtures';
export * from './lib/provider-contract';
export * from './lib/minute-window';
