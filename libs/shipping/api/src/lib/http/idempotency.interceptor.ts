import { createHash } from 'node:crypto';
import { type CallHandler, type ExecutionContext, HttpStatus, Inject, Injectable, type NestInterceptor } from '@nestjs/common';
import { HTTP_CODE_METADATA } from '@nestjs/common/constants';
import type { Request, Response } from 'express';
import { catchError, from, mergeMap, type Observable, of } from 'rxjs';
import { stringify as canonicalJson } from 'safe-stable-stringify';
import { IDEMPOTENCY_STORE, type IdempotencyStore } from '@shipbatch/shipping/application';
import { ApiError } from './api-error';

const HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 255;

/**
 * `Idempotency-Key` on any tenant's POST (API-CONTRACT.md, "Errors and limits"): the same
 * key with the same body within 24 hours replays the first answer (with an
 * `Idempotent-Replayed: true` header); with a different body it answers 422; while the first
 * request is still running, 409. An error answer stores nothing, so the key stays free.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { tenant?: { id: string } }>();
    const res = context.switchToHttp().getResponse<Response>();
    const raw = req.headers[HEADER];
    if (req.method !== 'POST' || raw === undefined) return next.handle();
    const key = Array.isArray(raw) ? raw[0] : raw;
    if (!key || key.length > MAX_KEY_LENGTH || !/^[\x21-\x7e]+$/.test(key)) {
      throw ApiError.validation(
        'Idempotency-Key',
        `Idempotency-Key must be 1 to ${MAX_KEY_LENGTH} printable characters without spaces`,
      );
    }
    const tenantId = req.tenant?.id;
    if (!tenantId) return next.handle();
    const hash = createHash('sha256')
      // Canonical JSON (keys sorted at every depth): the same body with its keys in another order is the same request.
      .update(`${req.method} ${req.originalUrl}\n${canonicalJson(req.body ?? null)}`)
      .digest('hex');

    // The route's own status (Nest applies it after interceptors), kept for the record.
    const status = Number(Reflect.getMetadata(HTTP_CODE_METADATA, context.getHandler()) ?? HttpStatus.CREATED);

    return from(this.store.begin(tenantId, key, hash)).pipe(
      mergeMap((held) => {
        if (!held) {
          return next.handle().pipe(
            mergeMap(async (body) => {
              await this.store.complete(tenantId, key, status, body);
              return body;
            }),
            catchError(async (error) => {
              await this.store.release(tenantId, key);
              throw error;
            }),
          );
        }
        if (held.requestHash !== hash) {
          throw new ApiError(HttpStatus.UNPROCESSABLE_ENTITY, [
            {
              error_source: 'shipbatch',
              error_type: 'business_rules',
              error_code: 'idempotency_key_reused',
              message: 'this Idempotency-Key was used with a different request in the last 24 hours',
              field_name: 'Idempotency-Key',
            },
          ]);
        }
        if (held.state === 'in_progress') {
          throw new ApiError(HttpStatus.CONFLICT, [
            {
              error_source: 'shipbatch',
              error_type: 'business_rules',
              error_code: 'idempotency_key_in_progress',
              message: 'a request with this Idempotency-Key is still being processed; retry shortly',
              field_name: 'Idempotency-Key',
            },
          ]);
        }
        res.setHeader('Idempotent-Replayed', 'true');
        return of(held.response);
      }),
    );
  }
}
