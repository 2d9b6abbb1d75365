import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { component, nullableDateTime, str } from '../openapi/schema.builders';

const decimalString = (description?: string): SchemaObject => ({ type: 'string', pattern: '^\\d+(\\.\\d+)?$', ...(description ? { description } : {}) });

export const PARCEL_SCHEMA = component('Parcel', {
  type: 'object',
  required: ['object_id', 'object_owner', 'object_created', 'object_updated', 'length', 'width', 'height', 'distance_unit', 'weight', 'mass_unit', 'metadata'],
  properties: {
    object_id: str(),
    object_owner: str('the tenant'),
    object_state: { type: 'string', enum: ['VALID'] },
    object_created: nullableDateTime(),
    object_updated: nullableDateTime(),
    length: decimalString(),
    width: decimalString(),
    height: decimalString(),
    distance_unit: { type: 'string', enum: ['cm', 'in', 'ft', 'mm', 'm', 'yd'] },
    weight: decimalString(),
    mass_unit: { type: 'string', enum: ['g', 'oz', 'lb', 'kg'] },
    metadata: str(),
    test: { type: 'boolean' },
  },
});
