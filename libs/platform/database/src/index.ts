export * from './lib/embedded-postgres';
export * from './lib/data-dir-holder';
export * from './lib/data-dir-lock';
export * from './lib/data-dir-lock.errors';
export * from './lib/data-source.factory';
export * from './lib/open-database';
export * from './lib/normalize-rows';
export * from './lib/database.module';
