import type { AddressRecord } from '@shipbatch/shipping/application';
import { iso } from './iso-date';

export function presentAddress(a: AddressRecord) {
  const complete = Boolean(a.street1 && a.city && a.zip && a.country);
  return {
    object_id: a.id,
    object_owner: a.tenantId,
    object_created: iso(a.createdAt),
    object_updated: iso(a.updatedAt),
    is_complete: complete,
    name: a.name ?? '',
    company: a.company ?? '',
    street1: a.street1 ?? '',
    street2: a.street2 ?? '',
    street3: a.street3 ?? '',
    city: a.city ?? '',
    state: a.state ?? '',
    zip: a.zip ?? '',
    country: a.country ?? '',
    phone: a.phone ?? '',
    email: a.email ?? '',
    is_residential: a.is_residential ?? null,
    metadata: a.metadata ?? '',
    test: false,
    validation_results: {},
  };
}
