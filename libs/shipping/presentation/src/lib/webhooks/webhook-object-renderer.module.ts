import { Module } from '@nestjs/common';
import { BatchQueriesService, LabelQueriesService, WEBHOOK_OBJECT_RENDERER } from '@shipbatch/shipping/application';
import { PresentedObjectRenderer } from './webhook-object.renderer';

/** The renderer with what it reads through, for processes without the HTTP API (workers). */
@Module({
  providers: [
    BatchQueriesService,
    LabelQueriesService,
    PresentedObjectRenderer,
    { provide: WEBHOOK_OBJECT_RENDERER, useExisting: PresentedObjectRenderer },
  ],
  exports: [WEBHOOK_OBJECT_RENDERER],
})
export class WebhookObjectRendererModule {}
