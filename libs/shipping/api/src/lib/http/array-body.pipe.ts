import { HttpStatus, type PipeTransform, ValidationPipe } from '@nestjs/common';
import type { ValidationError } from 'class-validator';
import { ApiError, type ApiErrorItem, flattenValidationErrors } from './api-error';
import { STRICT_VALIDATION } from './validation-options';

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/** What the item pipe throws: class-validator's errors, named by the caller with the item's index. */
class ItemErrors extends Error {
  constructor(readonly errors: ValidationError[]) {
    super('invalid item');
  }
}

/**
 * A body that is an array of `cls` objects (1 to `max`), each validated as a body is (Nest's
 * ValidationPipe: `__proto__` and `constructor.prototype` keys dropped, an unknown field refused)
 * and named by its index: `[0]` when an item is not an object (an array of arrays included),
 * `[3].shipment.address_to` for a field of one. At most 20 errors.
 */
export class ArrayBodyPipe<T extends object> implements PipeTransform<unknown, Promise<T[]>> {
  private readonly items = new ValidationPipe({ ...STRICT_VALIDATION, exceptionFactory: (errors) => new ItemErrors(errors) });

  constructor(
    private readonly cls: new () => T,
    private readonly what: string,
    private readonly max: number,
  ) {}

  async transform(value: unknown): Promise<T[]> {
    if (!Array.isArray(value) || value.length === 0) throw ApiError.validation('body', `body must be a non-empty array of ${this.what}s`);
    if (value.length > this.max) throw ApiError.validation('body', `at most ${this.max} ${this.what}s can be sent at once`);
    const errors: ApiErrorItem[] = [];
    const out: T[] = [];
    for (let i = 0; i < value.length && errors.length < 20; i++) {
      const item: unknown = value[i];
      if (item === null || typeof item !== 'object' || Array.isArray(item)) {
        errors.push(...ApiError.validation(`[${i}]`, `[${i}] must be an object (a ${this.what}), not ${kindOf(item)}`).items);
        continue;
      }
      try {
        out.push(await this.items.transform(item, { type: 'body', metatype: this.cls }));
      } catch (error) {
        if (!(error instanceof ItemErrors)) throw error;
        errors.push(...flattenValidationErrors(error.errors, `[${i}]`));
      }
    }
    if (errors.length > 0) throw new ApiError(HttpStatus.BAD_REQUEST, errors.slice(0, 20));
    return out;
  }
}
