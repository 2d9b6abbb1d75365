import { registerDecorator, type ValidationArguments } from 'class-validator';

/** ISO 4217 codes, as the runtime's Intl knows them (upper case). */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const isCurrencyCode = (value: unknown): value is string => typeof value === 'string' && CURRENCIES.has(value.toUpperCase());

/** An ISO 4217 currency code, in either case (`usd`, `EUR`); anything else is refused naming the field. */
export function IsCurrencyCode(): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCurrencyCode',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => isCurrencyCode(value),
        defaultMessage: (args: ValidationArguments) => `${args.property} must be an ISO 4217 currency code, such as "usd"`,
      },
    });
  };
}
