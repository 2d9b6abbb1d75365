import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { IsArray, IsBoolean, IsOptional, IsString } from 'class-validator';

const CHECKS = { boolean: IsBoolean, string: IsString, strings: IsArray } as const;
const SCHEMA_TYPES: Record<keyof typeof CHECKS, ApiPropertyOptions> = { boolean: { type: 'boolean' }, string: { type: 'string' }, strings: { type: [String] } };

/**
 * A field of Shippo's or ShipStation's shape that changes nothing about what is bought
 * (`async`, `test`, a rating list...): accepted, so their SDKs keep working, checked for its
 * type, and ignored. Documented as such in /docs-json. Every other field a DTO does not
 * declare is refused with 400 naming it (STRICT_VALIDATION).
 */
export function AcceptedIgnored(type: keyof typeof CHECKS, why: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ ...SCHEMA_TYPES[type], description: `Accepted and ignored: ${why}` }),
    IsOptional(),
    CHECKS[type](),
  );
}
