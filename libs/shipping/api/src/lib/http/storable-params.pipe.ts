import { type ArgumentMetadata, Injectable, type PipeTransform } from '@nestjs/common';
import { ApiError } from './api-error';
import { findInputProblem } from './storable-input';

/**
 * Global pipe, before validation: a path or query parameter a route reads that holds a NUL
 * character (`%00`) or an unpaired surrogate is answered 400 naming the parameter (see
 * ./storable-input). Bodies are checked earlier, by storableJsonBody.
 */
@Injectable()
export class StorableParamsPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'param' && metadata.type !== 'query') return value;
    const problem = findInputProblem(value, metadata.data ?? '');
    if (problem) throw ApiError.validation(problem.field, problem.message, problem.code);
    return value;
  }
}
