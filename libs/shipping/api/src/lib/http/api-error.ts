import { HttpException, HttpStatus } from '@nestjs/common';
import type { ValidationError } from 'class-validator';

export type ErrorType = 'validation' | 'security' | 'business_rules' | 'system';

export interface ApiErrorItem {
  error_source: 'shipbatch';
  error_type: ErrorType;
  error_code: string;
  message: string;
  field_name?: string;
}

/** An error already in ShipStation's shape; the filter renders it as is. */
export class ApiError extends HttpException {
  constructor(
    status: number,
    readonly items: ApiErrorItem[],
  ) {
    super(items[0]?.message ?? 'error', status);
  }

  static validation(field: string | undefined, message: string, code = 'invalid_field_value'): ApiError {
    return new ApiError(HttpStatus.BAD_REQUEST, [
      { error_source: 'shipbatch', error_type: 'validation', error_code: code, message, field_name: field },
    ]);
  }
}

function path(parent: string, property: string): string {
  if (/^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

/**
 * Rules that say what a value must be, before the ones that bound it: `abc` for a page size is
 * "must be an integer", not "must not be greater than 500"; a missing list is "required", not
 * "must contain no more than 10000 elements".
 */
const KIND_RULES = ['whitelistValidation', 'isDefined', 'isNotEmpty', 'isArray', 'isObject', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isNumberString', 'isEnum', 'isIn'];

/** The constraint to report for one field: a missing field is "required"; else a kind rule first, else the first reported. */
function firstConstraint(e: ValidationError): [string, string] {
  const constraints = Object.entries(e.constraints ?? {});
  // (The ValidationPipe must keep values in its errors: `validationError: { value: true }`.)
  if (e.value === undefined && 'value' in e && !/^\d+$/.test(e.property)) return ['isDefined', `${e.property} is required`];
  for (const rule of KIND_RULES) {
    const found = constraints.find(([name]) => name === rule);
    if (found) return found;
  }
  return constraints[0];
}

/** What an unknown field is told: it is refused, not ignored. */
export const UNKNOWN_FIELD = 'not a field the service knows; it is refused rather than ignored (check its spelling)';

/** Flattens class-validator's tree into one error per field: `batch_shipments[3].shipment.address_to`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ApiErrorItem[] {
  const out: ApiErrorItem[] = [];
  for (const e of errors) {
    const field = path(parent, e.property);
    if (e.constraints) {
      const [rule, message] = firstConstraint(e);
      if (rule === 'whitelistValidation') {
        out.push({ error_source: 'shipbatch', error_type: 'validation', error_code: 'unknown_field', message: `${field}: ${UNKNOWN_FIELD}`, field_name: field });
        continue;
      }
      // A message may name a part of the field (`parcels[1].weight: ...`, `address_to.zip: ...`): so does field_name.
      const rest = message.startsWith(e.property) ? message.slice(e.property.length) : undefined;
      const part = rest === undefined ? '' : (/^(?:\[\d+\]|\.[A-Za-z_]\w*)+/.exec(rest)?.[0] ?? '');
      out.push({
        error_source: 'shipbatch',
        error_type: 'validation',
        error_code: 'invalid_field_value',
        message: rest !== undefined ? `${field}${rest}` : `${field}: ${message}`,
        field_name: field + part,
      });
    }
    out.push(...flattenValidationErrors(e.children ?? [], field));
  }
  return out;
}

/** For ValidationPipe: at most 20 field errors, each naming its field, one per field. */
export function validationExceptionFactory(errors: ValidationError[]): ApiError {
  // One error per field: an item refused by its array's rule and again by ValidateNested is named once.
  const seen = new Set<string | undefined>();
  const items = flattenValidationErrors(errors).filter((item) => !seen.has(item.field_name) && seen.add(item.field_name));
  return new ApiError(HttpStatus.BAD_REQUEST, items.slice(0, 20));
}
