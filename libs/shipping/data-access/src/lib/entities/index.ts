import { AddressEntity } from './address.entity';
import { CarrierAccountEntity } from './carrier-account.entity';
import { ParcelEntity } from './parcel.entity';
import { ShipmentEntity } from './shipment.entity';

export { AddressEntity, CarrierAccountEntity, ParcelEntity, ShipmentEntity };

/**
 * The entities the repositories read and write through TypeORM's repository API. Every other
 * table is written and read with SQL (its migration describes it); `synchronize` is off, so an
 * entity never changes the schema.
 */
export const SHIPPING_ENTITIES = [AddressEntity, ParcelEntity, CarrierAccountEntity, ShipmentEntity];
