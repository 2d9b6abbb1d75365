import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from './app.config';
import { SecretBox } from './secret-box';
import { UrlSigner } from './url-signer';

/** Provides the AppConfig (token APP_CONFIG) and the SecretBox built from its key. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: SecretBox, useFactory: () => new SecretBox(config.encryptionKey) },
        { provide: UrlSigner, useFactory: () => new UrlSigner(config.encryptionKey) },
      ],
      exports: [APP_CONFIG, SecretBox, UrlSigner],
    };
  }
}
