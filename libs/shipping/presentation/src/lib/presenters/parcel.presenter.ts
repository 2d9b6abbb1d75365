import type { ParcelRecord } from '@shipbatch/shipping/application';
import { iso } from './iso-date';

export function presentParcel(p: ParcelRecord) {
  return {
    object_id: p.id,
    object_owner: p.tenantId,
    object_state: 'VALID',
    object_created: iso(p.createdAt),
    object_updated: iso(p.updatedAt),
    length: p.length,
    width: p.width,
    height: p.height,
    distance_unit: p.distance_unit,
    weight: p.weight,
    mass_unit: p.mass_unit,
    metadata: p.metadata ?? '',
    test: false,
  };
}
