import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';

/** The most query parameters a request may carry (Express' parser would drop the rest without a word). */
export const MAX_QUERY_PARAMETERS = 1000;

/**
 * Express middleware, before any route: a query with more than MAX_QUERY_PARAMETERS
 * parameters, or one parameter given twice (`page_size=1&page_size=2`), is answered 400 naming
 * the parameter. No route of the API takes a list in its query, so a repeated parameter is
 * always a mistake; without this it reaches the validators as an array, and their messages
 * ("must not be greater than 500") would not say what is wrong.
 */
export function singleQueryParameters() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const url = req.originalUrl ?? req.url;
    const at = url.indexOf('?');
    if (at < 0) return next();
    const params = new URLSearchParams(url.slice(at + 1));
    const seen = new Set<string>();
    let count = 0;
    for (const [name] of params) {
      if (++count > MAX_QUERY_PARAMETERS) {
        return next(ApiError.validation('query', `the query has more than ${MAX_QUERY_PARAMETERS} parameters`, 'too_many_parameters'));
      }
      if (seen.has(name)) {
        return next(ApiError.validation(name, `${name}: the query parameter is given more than once; give it once`, 'repeated_parameter'));
      }
      seen.add(name);
    }
    next();
  };
}
