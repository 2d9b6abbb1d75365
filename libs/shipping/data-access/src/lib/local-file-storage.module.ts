import { Global, Module } from '@nestjs/common';
import { FILE_STORAGE } from '@shipbatch/shipping/application';
import { LocalFileStorage } from './local-file.storage';

/**
 * Binds the FILE_STORAGE port to local disk under DATA_DIR/files (FILE_STORAGE=local, the
 * default). Global; the composition imports it, or `shipping/object-storage`'s module with
 * FILE_STORAGE=s3, never both.
 */
@Global()
@Module({
  providers: [LocalFileStorage, { provide: FILE_STORAGE, useExisting: LocalFileStorage }],
  exports: [LocalFileStorage, FILE_STORAGE],
})
export class LocalFileStorageModule {}
