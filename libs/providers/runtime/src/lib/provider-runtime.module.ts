import { Global, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ACCOUNT_THROTTLE, type AccountThrottle } from '@shipbatch/platform/queue';
import { ThrottlePacer } from './throttle.pacer';
import { PROVIDER_PACER, SQL_CLIENT } from './tokens';
import { TypeormSqlClient } from './typeorm-sql.client';

/**
 * What every provider instance is handed at run time, global: SQL_CLIENT (the service's database,
 * for providers that keep durable state) and PROVIDER_PACER (one pacer over the shared throttle,
 * Redis in scale-out, so every worker keeps each credential under its rate limit together).
 * Needs the DataSource of DatabaseModule and the ACCOUNT_THROTTLE of QueueModule.
 */
@Global()
@Module({
  providers: [
    { provide: SQL_CLIENT, inject: [DataSource], useFactory: (dataSource: DataSource) => new TypeormSqlClient(dataSource) },
    { provide: PROVIDER_PACER, inject: [ACCOUNT_THROTTLE], useFactory: (throttle: AccountThrottle) => new ThrottlePacer(throttle) },
  ],
  exports: [SQL_CLIENT, PROVIDER_PACER],
})
export class ProviderRuntimeModule {}
