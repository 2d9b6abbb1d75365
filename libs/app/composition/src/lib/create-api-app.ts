import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { AppConfig } from '@shipbatch/platform/config';
import { RateLimitMiddleware } from '@shipbatch/platform/auth';
import { HttpMetrics } from '@shipbatch/platform/metrics';
import { ApiExceptionFilter, jsonOnlyBodies, boundedQueryParameters, STRICT_VALIDATION, StorableParamsPipe, storableJsonBody, validationExceptionFactory } from '@shipbatch/shipping/api';
import { corsOptions } from './cors';
import { requestOriginLinks } from './request-origin';
import { answerClientErrors } from './client-errors';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { setupOpenApi } from './openapi';
import type { LogOptions } from './logging';

export const MAX_BODY = '32mb';

/**
 * Builds the HTTP application: logs, HTTP metrics, pipes, the error filter, OpenAPI at /docs. Not yet listening.
 * `logger: false` keeps errors only; `logStream` replaces stdout (see ./logging).
 */
export async function createApiApp(config: AppConfig, options: LogOptions = {}): Promise<NestExpressApplication> {
  // Nest's own start-up lines wait for the pino logger instead of going to its console logger.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bodyParser: false,
    bufferLogs: true,
    // A module that fails to start (DATA_DIR held by another process, the database unreachable)
    // rejects here, for the caller to report once, instead of Nest printing it with its console
    // logger (and the buffered start-up lines) and exiting the process on its own.
    abortOnError: false,
    autoFlushLogs: false,
  });
  app.useLogger(app.get(Logger));
  // Out now, and no more buffering: Nest would wait for listen(), and an app only init()ed (tests) would keep them all.
  app.flushLogs();
  // First: every answer is counted by route template and status, refusals and 404s included.
  app.use(app.get(HttpMetrics).middleware());
  // Browsers: off unless CORS_ORIGINS lists origins; a preflight is answered here, before anything else looks at it.
  if (config.http.corsOrigins.length > 0) app.enableCors(corsOptions(config.http.corsOrigins));
  // Behind a proxy (TRUST_PROXY=true): req.protocol, req.hostname and req.ip follow X-Forwarded-*.
  app.set('trust proxy', config.http.trustProxy);
  // Then each tenant's request limit (by address without a valid key; after trust proxy, which req.ip follows),
  // before anything else refuses or reads the request: every answer carries X-RateLimit-*, /health* and
  // /metrics excepted; past it, 429 with Retry-After.
  app.use(app.get(RateLimitMiddleware).handler());
  // More than a thousand query parameters: 400. (Unknown or repeated ones: QueryParametersInterceptor, per route.)
  app.use(boundedQueryParameters());
  // A body in anything but JSON is a 415 naming the type, never silently ignored.
  app.use(jsonOnlyBodies());
  app.useBodyParser('json', { limit: MAX_BODY, type: ['application/json', 'application/*+json'] });
  // Before anything reads the body: NUL characters, unpaired surrogates and deep nesting are a 400 naming the field.
  app.use(storableJsonBody());
  // Links (pagination, label files) follow the origin the request was addressed to, unless PUBLIC_BASE_URL is set.
  // After the body parser: a stream's events would not carry the request's context through it.
  app.use(requestOriginLinks());
  app.useGlobalPipes(
    new StorableParamsPipe(),
    // A field no DTO declares is a 400 naming it (unknown_field), never stripped in silence.
    new ValidationPipe({ ...STRICT_VALIDATION, exceptionFactory: validationExceptionFactory }),
  );
  app.useGlobalFilters(new ApiExceptionFilter());
  // What Node's parser refuses (a URL or headers over 16 KB: 431) answers in the error shape too.
  answerClientErrors(app.getHttpServer());

  setupOpenApi(app, config);
  return app;
}
