import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';

/** The most query parameters a request may carry (Express' parser would drop the rest without a word). */
export const MAX_QUERY_PARAMETERS = 1000;

/**
 * Express middleware, before any route: a query with more than MAX_QUERY_PARAMETERS
 * parameters is answered 400. Which parameters a route takes, and which of them may be
 * repeated (its list parameters), is the route's own: QueryParametersInterceptor.
 */
export function boundedQueryParameters() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const url = req.originalUrl ?? req.url;
    const at = url.indexOf('?');
    if (at < 0) return next();
    if (new URLSearchParams(url.slice(at + 1)).size > MAX_QUERY_PARAMETERS) {
      return next(ApiError.validation('query', `the query has more than ${MAX_QUERY_PARAMETERS} parameters`, 'too_many_parameters'));
    }
    next();
  };
}
