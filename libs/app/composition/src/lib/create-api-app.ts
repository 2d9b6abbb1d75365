import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { AppConfig } from '@shipbatch/platform/config';
import { ApiExceptionFilter, validationExceptionFactory } from '@shipbatch/shipping/api';
import { AppModule } from './app.module';

export const MAX_BODY = '32mb';

/** Builds the HTTP application: pipes, the error filter, OpenAPI at /docs. Not yet listening. */
export async function createApiApp(config: AppConfig, options: { logger?: boolean } = {}): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bodyParser: false,
    logger: options.logger === false ? ['error', 'warn'] : undefined,
  });
  app.useBodyParser('json', { limit: MAX_BODY });
  app.useGlobalPipes(
    new ValidationPipe({ whitelist: true, transform: true, exceptionFactory: validationExceptionFactory }),
  );
  app.useGlobalFilters(new ApiExceptionFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Shipbatch')
      .setDescription('One batch label API in front of many label providers (Shippo-compatible batches, ShipStation-compatible labels)')
      .setVersion('0.1.0')
      .addApiKey({ type: 'apiKey', name: 'API-Key', in: 'header' }, 'api-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
