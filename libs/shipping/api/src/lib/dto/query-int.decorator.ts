import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The largest page number taken: every offset stays a safe integer, well inside PostgreSQL's bigint. */
export const MAX_PAGE = 1_000_000_000;

/** "12" -> 12. Anything else ("1e3", "0x10", " 7", "", a repeated parameter) stays as it is, for IsInt to refuse. */
const toInteger = ({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value);

/**
 * An optional integer query parameter (`page`, `results`, `page_size`) between `min` (default
 * 1) and `max`, written in plain digits; anything else is a 400 naming it. Documented with its
 * bounds.
 */
export function QueryInt(options: { max: number; min?: number; default?: number; description?: string }): PropertyDecorator {
  const min = options.min ?? 1;
  const message = `$property must be an integer from ${min} to ${options.max}`;
  return applyDecorators(
    ApiPropertyOptional({ type: 'integer', minimum: min, maximum: options.max, default: options.default, description: options.description }),
    IsOptional(),
    Transform(toInteger),
    IsInt({ message }),
    Min(min, { message }),
    Max(options.max, { message }),
  );
}
