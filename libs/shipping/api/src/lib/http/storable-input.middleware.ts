import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error';
import { findInputProblem } from './storable-input';

/**
 * Express middleware, right after the JSON body parser: a body with a NUL character, an
 * unpaired surrogate or nesting past MAX_JSON_DEPTH is answered 400 naming the field before
 * any interceptor, pipe or handler reads it (see ./storable-input).
 */
export function storableJsonBody() {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const body: unknown = req.body;
    if (body === null || typeof body !== 'object') return next();
    const problem = findInputProblem(body);
    if (!problem) return next();
    next(ApiError.validation(problem.field, problem.message, problem.code));
  };
}
