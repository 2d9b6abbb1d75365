export * from './lib/embedded-postgres';
export * from './lib/data-dir-holder';
export * from './lib/data-dir-lock';
export * from './lib/data-dir-lock.errors';
export * from './lib/data-source.factory';
export * from './lib/open-database';
export * from './lib/typeorm-sql.client';
export * from './lib/database.module';
