/** Injection tokens of the database library, one place for all of them. */

/** Injection token: the open database (its TypeORM DataSource and how to close it). */
export const DATABASE_HANDLE = Symbol('DATABASE_HANDLE');

/**
 * Injection token: this process's hold on DATA_DIR (a DataDirLock) in embedded mode, null in
 * scale-out. Whatever injects it is made after the database is open (and so after the lock).
 */
export const DATA_DIR_LOCK = Symbol('DATA_DIR_LOCK');
