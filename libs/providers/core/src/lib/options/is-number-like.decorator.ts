import { Transform } from 'class-transformer';
import { IsNumber, type ValidationOptions } from 'class-validator';

/** A decimal number written as a string: "50", "50.00", " 7 ", "-0.5", ".25" (no exponent, no thousands separators). */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * The number a numeric string stands for ("50.00" -> 50, " 7 " -> 7); anything else is
 * returned unchanged, for class-validator to refuse. Numbers pass through.
 */
export function toNumberLike(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  if (!DECIMAL.test(trimmed)) return value;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : value;
}

/**
 * A number that may also be sent as a decimal string (`"500.00"`), as Shippo clients do:
 * `plainToInstance` turns numeric strings into numbers, and class-validator refuses anything
 * else with "<field> must be a number". Combine it with `@IsInt()`, `@Min()`, `@Max()`; put
 * it last (nearest the property) so that its message is the first one reported.
 */
/** The properties `IsNumberLike` decorates, by class: read by `optionsJsonSchema` (a number or a decimal string). */
const NUMBER_LIKE = new WeakMap<object, Set<string>>();

/** Whether `IsNumberLike` decorates `property` of `cls` (or of a class it extends). */
export function isNumberLikeProperty(cls: abstract new () => object, property: string): boolean {
  for (let proto: object | null = cls.prototype; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    if (NUMBER_LIKE.get(proto)?.has(property)) return true;
  }
  return false;
}

export function IsNumberLike(validationOptions?: ValidationOptions): PropertyDecorator {
  const transform = Transform(({ value }) => toNumberLike(value));
  const isNumber = IsNumber(
    { allowNaN: false, allowInfinity: false },
    { message: '$property must be a number', ...validationOptions },
  );
  return (target: object, propertyKey: string | symbol) => {
    transform(target, propertyKey as string);
    isNumber(target, propertyKey as string);
    NUMBER_LIKE.set(target, (NUMBER_LIKE.get(target) ?? new Set()).add(String(propertyKey)));
  };
}
