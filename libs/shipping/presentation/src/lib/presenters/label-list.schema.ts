import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { component, int, url } from '../openapi/schema.builders';
import { LABEL_SCHEMA } from './label.schema';

const PAGE_LINK_SCHEMA: SchemaObject = {
  type: 'object',
  description: '{href} or {} when there is no such page',
  properties: { href: url() },
};

export const LABEL_LIST_SCHEMA = component('LabelList', {
  type: 'object',
  required: ['labels', 'total', 'page', 'pages', 'links'],
  properties: {
    labels: { type: 'array', items: LABEL_SCHEMA, description: 'always oldest to newest; sort_dir selects which part of the data the page holds' },
    total: int(),
    page: { type: 'integer', minimum: 1 },
    pages: int(),
    links: {
      type: 'object',
      required: ['first', 'last', 'prev', 'next'],
      properties: { first: PAGE_LINK_SCHEMA, last: PAGE_LINK_SCHEMA, prev: PAGE_LINK_SCHEMA, next: PAGE_LINK_SCHEMA },
    },
  },
});
