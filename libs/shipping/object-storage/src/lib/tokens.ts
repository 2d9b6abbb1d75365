/** Injection tokens of the object storage library. */

/** The S3 client of the process (one connection pool for every request). */
export const S3_CLIENT = Symbol('S3_CLIENT');
