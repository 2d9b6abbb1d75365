import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { S3Client } from '@aws-sdk/client-s3';
import { APP_CONFIG, type AppConfig, UrlSigner } from '@shipbatch/platform/config';
import { FILE_STORAGE } from '@shipbatch/shipping/application';
import { createS3Client } from './s3-client';

import { S3FileStorage } from './s3-file.storage';

import { S3_CLIENT } from './tokens';


function s3Settings(config: AppConfig) {
  if (config.fileStorage.driver !== 's3') throw new Error('ObjectStorageModule needs FILE_STORAGE=s3');
  return config.fileStorage.s3;
}

/**
 * Binds the FILE_STORAGE port to an S3-compatible bucket (AppConfig `fileStorage`, FILE_STORAGE=s3).
 * Global, like the data-access module; the composition imports it instead of the local driver's
 * binding when FILE_STORAGE=s3, and it closes the client's connections on shutdown.
 */
@Global()
@Module({
  providers: [
    { provide: S3_CLIENT, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createS3Client(s3Settings(config)) },
    {
      provide: S3FileStorage,
      inject: [S3_CLIENT, APP_CONFIG, UrlSigner],
      useFactory: (client: S3Client, config: AppConfig, signer: UrlSigner) => new S3FileStorage(client, s3Settings(config), { signer, publicBaseUrl: config.publicBaseUrl, http: config.http }),
    },
    { provide: FILE_STORAGE, useExisting: S3FileStorage },
  ],
  exports: [S3FileStorage, FILE_STORAGE],
})
export class ObjectStorageModule implements OnApplicationShutdown {
  constructor(@Inject(S3_CLIENT) private readonly client: S3Client) {}

  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
