export * from './lib/sql-clients';
export * from './lib/fixtures';
export * from './lib/provider-contract';
