import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { getMetadataStorage } from 'class-validator';
import type { Request } from 'express';
import type { Observable } from 'rxjs';
import { ApiError } from './api-error';
import { queryListsOf } from './query-list.decorator';

/** What a route takes in its query: its parameters by name, and which of them are lists. */
interface QueryRule {
  known: ReadonlySet<string>;
  lists: ReadonlySet<string>;
}

/** The properties class-validator knows on a DTO (what `whitelist` keeps). */
function dtoProperties(cls: unknown): string[] {
  if (typeof cls !== 'function') return [];
  return getMetadataStorage()
    .getTargetValidationMetadatas(cls, '', true, false)
    .map((m) => m.propertyName);
}

/**
 * Every route's query, before its pipes (and so before its query DTO is validated): a
 * parameter the route does not take is a 400 naming it (`unknown_parameter`), for every route,
 * those without a query DTO included (a route with `@Query('expires')` takes `expires` only;
 * one without any takes none); a parameter given twice is a 400 naming it
 * (`repeated_parameter`) unless the route's DTO declares it a list (`@QueryList`). Read from
 * the raw query string, as Express' parser would merge repeats into arrays.
 */
@Injectable()
export class QueryParametersInterceptor implements NestInterceptor {
  private readonly rules = new WeakMap<object, QueryRule>();

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request>();
    const url = req.originalUrl ?? req.url;
    const at = url.indexOf('?');
    if (at >= 0) {
      const rule = this.ruleFor(context.getClass(), context.getHandler());
      const seen = new Set<string>();
      for (const [name] of new URLSearchParams(url.slice(at + 1))) {
        if (!rule.known.has(name)) {
          const takes = rule.known.size === 0 ? 'this route takes no query parameters' : `this route takes ${[...rule.known].join(', ')}`;
          throw ApiError.validation(name, `${name}: not a query parameter of this route (${takes})`, 'unknown_parameter');
        }
        if (seen.has(name) && !rule.lists.has(name)) {
          throw ApiError.validation(name, `${name}: the query parameter is given more than once; give it once`, 'repeated_parameter');
        }
        seen.add(name);
      }
    }
    return next.handle();
  }

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest hands the controller class and handler as Function
  private ruleFor(controller: Function, handler: Function): QueryRule {
    const cached = this.rules.get(handler);
    if (cached) return cached;
    const args: Record<string, { index: number; data?: unknown }> = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {};
    const types: unknown[] = Reflect.getMetadata('design:paramtypes', controller.prototype, handler.name) ?? [];
    const known = new Set<string>();
    const lists = new Set<string>();
    for (const [key, arg] of Object.entries(args)) {
      if (key.split(':')[0] !== String(RouteParamtypes.QUERY)) continue;
      if (typeof arg.data === 'string') {
        known.add(arg.data);
      } else {
        const dto = types[arg.index];
        for (const name of dtoProperties(dto)) known.add(name);
        for (const name of queryListsOf(dto)) lists.add(name);
      }
    }
    const rule = { known, lists };
    this.rules.set(handler, rule);
    return rule;
  }
}
