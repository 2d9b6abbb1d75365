/** Injection token for the providers' SqlClient (a TypeormSqlClient over the service's database). */
export const SQL_CLIENT = Symbol('SQL_CLIENT');
/** Injection token for the providers' ProviderPacer (a ThrottlePacer over the queue's AccountThrottle). */
export const PROVIDER_PACER = Symbol('PROVIDER_PACER');
