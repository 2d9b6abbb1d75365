import { Transform } from 'class-transformer';
import { registerDecorator, type ValidationArguments } from 'class-validator';

/** Plain decimal digits, as Shippo writes sizes and weights: "10", "2.5" (no sign, no exponent). */
const DECIMAL = /^\d+(\.\d+)?$/;

/** A finite number as its decimal string (2 -> "2"); anything else is left for the validator to refuse. */
const toDecimalString = ({ value }: { value: unknown }) =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : value;

export function isPositiveDecimal(value: unknown): value is string {
  if (typeof value !== 'string' || !DECIMAL.test(value)) return false;
  const n = Number(value);
  return Number.isFinite(n) && n > 0;
}

/**
 * A size or weight greater than 0, given as a number or a decimal string ("10", "2.5", as
 * Shippo does) and kept as that string. "-1", "0", "abc", "1e3" and non-strings are refused
 * naming the field. Used by every parcel, whether posted alone or inline in a shipment.
 */
export function IsPositiveDecimal(): PropertyDecorator {
  const transform = Transform(toDecimalString);
  return (target: object, propertyName: string | symbol) => {
    transform(target, propertyName as string);
    registerDecorator({
      name: 'isPositiveDecimal',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => isPositiveDecimal(value),
        defaultMessage: (args: ValidationArguments) => `${args.property} must be a number greater than 0, such as "10" or "2.5"`,
      },
    });
  };
}
