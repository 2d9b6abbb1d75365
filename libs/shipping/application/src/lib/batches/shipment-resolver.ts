import type { PortAddress, PortParcel, DistanceUnit, MassUnit } from '@shipbatch/providers/core';
import { newObjectId } from '@shipbatch/platform/config';
import type { ShipmentProblem } from '@shipbatch/shipping/domain';
import type { AddressInput, ParcelInput, Ref } from './shipment-input';
import type { StoredAddress, StoredParcel } from './validation.repository';

const SOURCE = 'shipbatch';

/** Resolves a shipment's address and parcel references (ids or inline objects) for one chunk. */
export class ShipmentResolver {
  readonly newAddresses: StoredAddress[] = [];
  readonly newParcels: StoredParcel[] = [];

  constructor(
    private readonly addresses: Map<string, StoredAddress>,
    private readonly parcels: Map<string, StoredParcel>,
    private readonly problems: ShipmentProblem[],
  ) {}

  address(field: string, ref: Ref<AddressInput> | undefined, required: boolean): StoredAddress | null {
    if (ref === undefined || ref === null) {
      if (required) this.problem('INCOMPLETE', 'address_missing', `${field} is required`);
      return null;
    }
    if (typeof ref === 'string') {
      const found = this.addresses.get(ref);
      if (!found) this.problem('INVALID', 'address_not_found', `${field}: address '${ref}' was not found`);
      return found ?? null;
    }
    const made: StoredAddress = { ...ref, id: newObjectId() };
    this.newAddresses.push(made);
    return made;
  }

  parcelList(refs: Array<Ref<ParcelInput>>): StoredParcel[] {
    if (refs.length === 0) this.problem('INCOMPLETE', 'parcel_missing', 'parcels: at least one parcel is required');
    const out: StoredParcel[] = [];
    refs.forEach((ref, i) => {
      if (typeof ref === 'string') {
        const found = this.parcels.get(ref);
        if (!found) this.problem('INVALID', 'parcel_not_found', `parcels[${i}]: parcel '${ref}' was not found`);
        else out.push(found);
        return;
      }
      const made: StoredParcel = { ...ref, id: newObjectId() };
      this.newParcels.push(made);
      out.push(made);
    });
    return out;
  }

  problem(severity: ShipmentProblem['severity'], code: string, text: string, source = SOURCE): void {
    this.problems.push({ source, code, text, severity });
  }
}

export function toPortAddress(a: StoredAddress): PortAddress {
  return {
    name: a.name,
    company: a.company,
    street1: a.street1,
    street2: a.street2,
    city: a.city,
    state: a.state,
    zip: a.zip,
    country: a.country,
    phone: a.phone,
    email: a.email,
    isResidential: a.is_residential,
  };
}

export function toPortParcel(p: StoredParcel): PortParcel {
  return {
    length: Number(p.length),
    width: Number(p.width),
    height: Number(p.height),
    distanceUnit: p.distance_unit as DistanceUnit,
    weight: Number(p.weight),
    massUnit: p.mass_unit as MassUnit,
  };
}
