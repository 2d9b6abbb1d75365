import { plainToInstance } from 'class-transformer';
import { UNKNOWN_FIELD } from '../http/api-error';
import { registerDecorator, validateSync, type ValidationArguments, type ValidationError } from 'class-validator';

const nestedMessages = new WeakMap<object, string>();

/**
 * Inline objects already found valid, by class and content. A batch of 10,000 shipments
 * usually repeats its ship-from address and parcel in every shipment; validating each copy
 * once per process instead of 10,000 times is most of what class-validator spends on such a
 * request. Only objects that validation left untouched are remembered, so a hit needs no
 * work at all. Bounded: cleared when full.
 */
const knownValid = new Set<string>();
const KNOWN_VALID_MAX = 10_000;

function validateInline(cls: new () => object, instance: object): ValidationError[] {
  const before = JSON.stringify(instance);
  const key = `${cls.name}\u0000${before}`;
  if (knownValid.has(key)) return [];
  const errors = validateSync(instance, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length === 0 && JSON.stringify(instance) === before) {
    if (knownValid.size >= KNOWN_VALID_MAX) knownValid.clear();
    knownValid.add(key);
  }
  return errors;
}

function firstMessage(errors: ValidationError[], path = ''): string | undefined {
  for (const e of errors) {
    const here = path ? `${path}.${e.property}` : e.property;
    if (e.constraints?.['whitelistValidation']) return `${here}: ${UNKNOWN_FIELD}`;
    if (e.constraints) return `${here}: ${Object.values(e.constraints)[0]}`;
    const deeper = firstMessage(e.children ?? [], here);
    if (deeper) return deeper;
  }
  return undefined;
}

/** Whether `validate` accepted an item (an id, or an object it found no fault in). */
function looksValid(item: unknown): boolean {
  if (typeof item === 'string') return item.length > 0 && item.length <= 64;
  return item !== null && typeof item === 'object' && !Array.isArray(item) && !nestedMessages.has(item);
}

/**
 * Shippo lets an address or parcel be given as an object id or inline. Validates either a
 * non-empty id string or an object that passes `cls`'s own rules, naming the sub-field.
 * Pair it with `@Type(() => cls)`: class-transformer then makes inline objects instances of
 * `cls` and leaves id strings as they are.
 */
export function IsRefOr(cls: new () => object, options: { each?: boolean } = {}) {
  return (target: object, propertyName: string) => {
    registerDecorator({
      name: 'isRefOr',
      target: target.constructor,
      propertyName,
      options: { each: options.each },
      validator: {
        validate(value: unknown) {
          if (typeof value === 'string') return value.length > 0 && value.length <= 64;
          if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
          // Usually already an instance (the field's @Type transformed it): validate once.
          const instance = value instanceof cls ? value : plainToInstance(cls, value);
          const errors = validateInline(cls, instance);
          if (errors.length === 0) return true;
          nestedMessages.set(value, firstMessage(errors) ?? 'is invalid');
          return false;
        },
        defaultMessage(args: ValidationArguments) {
          // With `each`, the value is the whole array: name the first item at fault (`parcels[1]`).
          const bad = options.each && Array.isArray(args.value) ? args.value.findIndex((item) => !looksValid(item)) : -1;
          const name = bad >= 0 ? `${args.property}[${bad}]` : args.property;
          const v: unknown = bad >= 0 ? (args.value as unknown[])[bad] : args.value;
          if (v !== null && typeof v === 'object' && nestedMessages.has(v)) return `${name}.${nestedMessages.get(v)}`;
          return `${name} must be an object id (string) or an inline object`;
        },
      },
    });
  };
}
