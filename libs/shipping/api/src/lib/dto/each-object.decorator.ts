import { registerDecorator, type ValidationArguments } from 'class-validator';

const isObject = (v: unknown) => v !== null && typeof v === 'object' && !Array.isArray(v);
const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v);

/**
 * Every item of the array is an object (`what` says which), naming the first that is not:
 * `batch_shipments[0] must be an object (a batch shipment), not an array`. Pair it with
 * `@ValidateNested({ each: true })`, which would otherwise accept an array of arrays (it
 * validates the inner arrays' items, and an empty one has none).
 */
export function EachIsObject(what: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'eachIsObject',
      target: target.constructor,
      propertyName: propertyName as string,
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || value.every(isObject),
        defaultMessage: (args: ValidationArguments) => {
          const items = args.value as unknown[];
          const bad = items.findIndex((v) => !isObject(v));
          return `${args.property}[${bad}] must be an object (${what}), not ${kindOf(items[bad])}`;
        },
      },
    });
  };
}
