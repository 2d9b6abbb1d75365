import { getMetadataStorage } from 'class-validator';
import type { ProviderDefinition } from '../label-provider.port';
import { isNumberLikeProperty } from './is-number-like.decorator';

/** A JSON Schema (OpenAPI 3.0 flavour) object, as plain data. */
export type OptionsJsonSchema = Record<string, unknown>;

/** Decimal strings `IsNumberLike` turns into numbers ("50", "50.00", "-0.5", ".25"). */
const DECIMAL_STRING = '^\\s*[+-]?(\\d+(\\.\\d*)?|\\.\\d+)\\s*$';

/**
 * The JSON Schema of a provider's carrier account `parameters`, read off the class-validator
 * rules of its options class (the same rules the registry validates with), so the published
 * document cannot drift from what is accepted: types (`isString`, `isBoolean`, `isInt`,
 * `isNumber`, `isIn`), bounds (`min`, `max`, `minLength`, `maxLength`, `isNotEmpty`), `required`
 * for the properties without `isOptional`, the defaults an instance of the class starts with,
 * `writeOnly` for the definition's secret parameters. A number decorated with `IsNumberLike` may
 * also be a decimal string. Closed (`additionalProperties: false`): the registry refuses unknown
 * fields. Rules it does not know leave the property less constrained, never wrong.
 */
export function optionsJsonSchema(definition: Pick<ProviderDefinition, 'key' | 'optionsClass' | 'secretParameters'>): OptionsJsonSchema {
  const cls = definition.optionsClass;
  const metadatas = getMetadataStorage().getTargetValidationMetadatas(cls, '', true, false);
  const byProperty = new Map<string, Map<string, unknown[]>>();
  for (const m of metadatas) {
    const rules = byProperty.get(m.propertyName) ?? new Map<string, unknown[]>();
    rules.set(m.name ?? m.type, m.constraints ?? []);
    byProperty.set(m.propertyName, rules);
  }
  const defaults = new cls() as Record<string, unknown>;
  const secrets = new Set(definition.secretParameters ?? []);
  const properties: Record<string, OptionsJsonSchema> = {};
  const required: string[] = [];
  for (const [name, rules] of byProperty) {
    const schema = propertySchema(rules, isNumberLikeProperty(cls, name));
    if (defaults[name] !== undefined) schema['default'] = defaults[name];
    if (secrets.has(name)) Object.assign(schema, { writeOnly: true, description: 'secret: encrypted at rest, never returned or logged' });
    properties[name] = schema;
    if (!rules.has('isOptional')) required.push(name);
  }
  return { type: 'object', additionalProperties: false, ...(required.length ? { required } : {}), properties };
}

function propertySchema(rules: Map<string, unknown[]>, numberLike: boolean): OptionsJsonSchema {
  const first = (rule: string) => rules.get(rule)?.[0];
  if (rules.has('isBoolean')) return { type: 'boolean' };
  if (rules.has('isIn')) return { enum: [...((first('isIn') as unknown[]) ?? [])] };
  if (rules.has('isInt') || rules.has('isNumber')) {
    const schema: OptionsJsonSchema = { type: rules.has('isInt') ? 'integer' : 'number' };
    if (typeof first('min') === 'number') schema['minimum'] = first('min');
    if (typeof first('max') === 'number') schema['maximum'] = first('max');
    if (!numberLike) return schema;
    return { oneOf: [schema, { type: 'string', pattern: DECIMAL_STRING, description: 'the same number as a decimal string' }] };
  }
  if (rules.has('isString')) {
    const schema: OptionsJsonSchema = { type: 'string' };
    const min = rules.has('minLength') ? first('minLength') : rules.has('isNotEmpty') ? 1 : undefined;
    if (typeof min === 'number') schema['minLength'] = min;
    if (typeof first('maxLength') === 'number') schema['maxLength'] = first('maxLength');
    return schema;
  }
  return {};
}
