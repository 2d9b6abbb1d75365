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

/** Flattens class-validator's tree into one error per field: `batch_shipments[3].shipment.address_to`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): ApiErrorItem[] {
  const out: ApiErrorItem[] = [];
  for (const e of errors) {
    const field = path(parent, e.property);
    if (e.constraints) {
      const [rule, message] = Object.entries(e.constraints)[0];
      out.push({
        error_source: 'shipbatch',
        error_type: 'validation',
        error_code: rule === 'whitelistValidation' ? 'unknown_field' : 'invalid_field_value',
        message: message.startsWith(e.property) ? `${field}${message.slice(e.property.length)}` : `${field}: ${message}`,
        field_name: field,
      });
    }
    out.push(...flattenValidationErrors(e.children ?? [], field));
  }
  return out;
}

/** For ValidationPipe: at most 20 field errors, each naming its field. */
export function validationExceptionFactory(errors: ValidationError[]): ApiError {
  return new ApiError(HttpStatus.BAD_REQUEST, flattenValidationErrors(errors).slice(0, 20));
}
