import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export const HEALTH_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
};
