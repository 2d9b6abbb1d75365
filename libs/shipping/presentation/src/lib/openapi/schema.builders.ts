import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

/**
 * Builders of the OpenAPI 3.0 schemas that describe the public API's answers. Each resource's
 * schema sits beside the presenter that renders it (`presenters/<resource>.schema.ts`): the
 * controllers of `@shipbatch/shipping/api` reference them in their `@ApiResponse` decorators
 * (the api's own error schema is made with these builders too), and the end-to-end suite
 * validates every answer it receives against `/docs-json`.
 *
 * A schema made with `component` is published once under `components.schemas` (named by its
 * `x-component` mark) and referenced from every operation that answers it; `hoistComponents` in
 * `@shipbatch/app/composition` does that when the document is built.
 *
 * Rules: `required` lists what is always present; `nullable` where null happens; objects stay
 * open (`additionalProperties` unset) so adding a field is not a breaking change.
 */
export type Schema = SchemaObject & { 'x-component'?: string };

export const component = (name: string, schema: SchemaObject): Schema => ({ ...schema, 'x-component': name, title: name });

export const str = (description?: string): SchemaObject => (description ? { type: 'string', description } : { type: 'string' });
export const nullableStr = (description?: string): SchemaObject => ({ ...str(description), nullable: true });
export const dateTime = (description?: string): SchemaObject => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
export const nullableDateTime = (description?: string): SchemaObject => ({ ...dateTime(description), nullable: true });
export const int = (description?: string): SchemaObject => ({ type: 'integer', minimum: 0, ...(description ? { description } : {}) });
export const url = (description?: string): SchemaObject => ({ type: 'string', format: 'uri', ...(description ? { description } : {}) });
export const nullableUrl = (description?: string): SchemaObject => ({ ...url(description), nullable: true });
/**
 * An object of schema `of` (usually a component), or null. OpenAPI 3.0's `nullable` needs a
 * `type` beside it (ajv and the linters refuse it alone), so the reference sits in an `allOf`.
 */
export const nullableObject = (of: SchemaObject, description?: string): SchemaObject => ({
  type: 'object',
  nullable: true,
  allOf: [of],
  ...(description ? { description } : {}),
});
/** Every ISO 4217 code the runtime knows (Intl), upper case. */
export const CURRENCY_CODES: readonly string[] = Intl.supportedValuesOf('currency');
