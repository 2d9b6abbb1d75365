import { AddressEntity } from './address.entity';
import { BatchLabelFileEntity } from './batch-label-file.entity';
import { BatchShipmentEntity } from './batch-shipment.entity';
import { BatchEntity } from './batch.entity';
import { CarrierAccountEntity } from './carrier-account.entity';
import { LabelEntity } from './label.entity';
import { OutboxEventEntity } from './outbox-event.entity';
import { ParcelEntity } from './parcel.entity';
import { ShipmentEntity } from './shipment.entity';

export {
  AddressEntity,
  BatchEntity,
  BatchLabelFileEntity,
  BatchShipmentEntity,
  CarrierAccountEntity,
  LabelEntity,
  OutboxEventEntity,
  ParcelEntity,
  ShipmentEntity,
};

export const SHIPPING_ENTITIES = [
  AddressEntity,
  ParcelEntity,
  CarrierAccountEntity,
  BatchEntity,
  BatchShipmentEntity,
  BatchLabelFileEntity,
  ShipmentEntity,
  LabelEntity,
  OutboxEventEntity,
];
