import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { LABEL_MERGER } from '@shipbatch/shipping/application';
import { PdfMergeThread } from './pdf-merge.thread';

/**
 * Binds the LABEL_MERGER port to pdf-lib's merger, on a worker thread when MERGE_THREAD is on
 * (AppConfig `workers.mergeThread`); closes the thread when the application shuts down. Global,
 * like the data-access module: the composition imports it once for every process.
 */
@Global()
@Module({
  providers: [{ provide: LABEL_MERGER, inject: [APP_CONFIG], useFactory: (config: AppConfig) => new PdfMergeThread({ enabled: config.workers.mergeThread }) }],
  exports: [LABEL_MERGER],
})
export class LabelMergerModule implements OnApplicationShutdown {
  constructor(@Inject(LABEL_MERGER) private readonly merger: PdfMergeThread) {}

  async onApplicationShutdown(): Promise<void> {
    await this.merger.close();
  }
}
