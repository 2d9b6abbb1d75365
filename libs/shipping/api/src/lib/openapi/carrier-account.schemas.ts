import { getSchemaPath } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { optionsJsonSchema, type ProviderDefinition } from '@shipbatch/providers/core';
import { PROVIDER_DEFINITIONS } from '@shipbatch/providers/registry';
import { component, str } from '@shipbatch/shipping/presentation';
import { FundingPolicyDto } from '../dto/funding-policy.dto';

const pascal = (key: string) => key.split(/[^A-Za-z0-9]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');

/** `parameters` of one provider's carrier accounts, read off its options class (`optionsJsonSchema`). */
function parametersSchema(definition: ProviderDefinition): SchemaObject {
  return component(`${pascal(definition.key)}Parameters`, {
    ...(optionsJsonSchema(definition) as SchemaObject),
    description: `parameters of a ${definition.key} carrier account (${definition.displayName}); validated when the account is saved, 400 naming parameters.<field>`,
  });
}

/** One provider's `POST /carrier_accounts` body: `provider` says which `parameters` apply. */
function createSchema(definition: ProviderDefinition): SchemaObject {
  return component(`${pascal(definition.key)}CarrierAccountCreate`, {
    type: 'object',
    required: ['provider', 'carrier', 'account_id'],
    properties: {
      provider: { type: 'string', enum: [definition.key] },
      carrier: { type: 'string', maxLength: 50, example: 'usps', description: 'the carrier labels are bought from (usps, ups, ...)' },
      account_id: { type: 'string', maxLength: 200, description: "the provider's account id" },
      parameters: parametersSchema(definition),
      active: { type: 'boolean', default: true },
      test: { type: 'boolean', default: false },
      metadata: { type: 'string', maxLength: 100 },
      funding: { allOf: [{ $ref: getSchemaPath(FundingPolicyDto) }], description: 'automatic funding; default disabled' },
    },
  });
}

/** Every registered provider, as the document describes them. */
const definitions = (): ReadonlyArray<ProviderDefinition> => PROVIDER_DEFINITIONS;

/**
 * The body of `POST /carrier_accounts`: one schema per registered provider, chosen by
 * `provider` (a discriminator), each with its own `parameters`. Built from the registry's
 * definitions, so a provider added there is described without touching this file.
 */
export function carrierAccountCreateSchema(): SchemaObject {
  const variants = definitions().map((d) => ({ key: d.key, schema: createSchema(d) }));
  return {
    description:
      'A carrier account of one provider. A Shippo client without a `provider` field may instead give it as `parameters.provider`; ' +
      'with neither, DEFAULT_PROVIDER (mock) applies.',
    oneOf: variants.map((v) => v.schema),
    discriminator: {
      propertyName: 'provider',
      mapping: Object.fromEntries(variants.map((v) => [v.key, `#/components/schemas/${pascal(v.key)}CarrierAccountCreate`])),
    },
  };
}

/** `parameters` of `PUT /carrier_accounts/{id}`: any of the account's provider's fields, merged with those stored. */
export function carrierAccountParametersChangeSchema(): SchemaObject {
  return {
    description: "fields of the account's provider's parameters to change (the others are kept); checked against that provider's rules",
    anyOf: definitions().map((d) => {
      const { required: _required, ...partial } = optionsJsonSchema(d);
      return { ...(partial as SchemaObject), title: `${pascal(d.key)}ParametersChange`, description: `a ${d.key} account's parameters` };
    }),
  };
}

/** The providers a carrier account may name, for answers. */
export function providerKeySchema(): SchemaObject {
  return { ...str('the provider the account buys through'), enum: definitions().map((d) => d.key) };
}
