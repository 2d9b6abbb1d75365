import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsISO8601, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { ShipmentInput } from '@shipbatch/shipping/application';
import { AddressDto } from './address.dto';
import { IsRefOr } from './is-ref-or.decorator';
import { ParcelDto } from './parcel.dto';
import { AcceptedIgnored } from './accepted-ignored.decorator';
import { ShipmentExtraDto } from './shipment-extra.dto';

/** An object id, or the object inline: how Shippo describes a shipment's addresses and parcels. */
const idOr = (cls: new () => object, what: string) => ({
  oneOf: [{ type: 'string', minLength: 1, maxLength: 64, description: `the object_id of ${what}` }, { $ref: getSchemaPath(cls) }],
});

/** A batch shipment's `shipment` (Shippo's fields): each address or parcel an object id or inline. */
@ApiExtraModels(AddressDto, ParcelDto)
export class ShipmentDto {
  @ApiPropertyOptional({ enum: ['PURCHASE', 'QUOTE'] }) @IsOptional() @IsIn(['PURCHASE', 'QUOTE']) object_purpose?: string;
  @ApiProperty({ description: 'address object id or inline address', ...idOr(AddressDto, 'an address') })
  @Type(() => AddressDto)
  @IsRefOr(AddressDto)
  address_from: string | AddressDto;
  @ApiProperty({ description: 'address object id or inline address', ...idOr(AddressDto, 'an address') })
  @Type(() => AddressDto)
  @IsRefOr(AddressDto)
  address_to: string | AddressDto;
  @ApiPropertyOptional({ description: 'address object id or inline address', ...idOr(AddressDto, 'an address') })
  @IsOptional()
  @Type(() => AddressDto)
  @IsRefOr(AddressDto)
  address_return?: string | AddressDto;
  @ApiPropertyOptional({ description: 'parcel object ids or inline parcels', type: 'array', items: idOr(ParcelDto, 'a parcel'), maxItems: 50 })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Type(() => ParcelDto)
  @IsRefOr(ParcelDto, { each: true })
  parcels?: Array<string | ParcelDto>;
  @ApiPropertyOptional({ description: 'a single parcel (object id or inline), as in the seed', ...idOr(ParcelDto, 'a parcel') })
  @IsOptional()
  @Type(() => ParcelDto)
  @IsRefOr(ParcelDto)
  parcel?: string | ParcelDto;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() shipment_date?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
  @ApiPropertyOptional({ description: "the caller's own id, unique per tenant" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  external_shipment_id?: string;
  @ApiPropertyOptional({ type: ShipmentExtraDto, description: 'extra services (Shippo ShipmentExtra); kept, passed to the provider; an option the provider cannot honour is a 400 naming it' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ShipmentExtraDto)
  extra?: ShipmentExtraDto;
  @AcceptedIgnored('boolean', "Shippo's asynchronous shipment creation; a batch's shipments are always created in the background") async?: boolean;
  @AcceptedIgnored('strings', "the accounts Shippo rates a shipment with; a batch shipment is bought with its carrier_account (or the batch's default)") carrier_accounts?: string[];
}

/** The shipment as the command carries it: every field as the client sent it, addresses and parcels by id or inline. */
export function toShipmentInput(dto: ShipmentDto): ShipmentInput {
  return {
    object_purpose: dto.object_purpose,
    address_from: dto.address_from,
    address_to: dto.address_to,
    address_return: dto.address_return,
    parcels: dto.parcels,
    parcel: dto.parcel,
    shipment_date: dto.shipment_date,
    metadata: dto.metadata,
    external_shipment_id: dto.external_shipment_id,
    // Plain JSON, as sent (the DTO's nested instances dropped): stored and passed to the provider.
    ...(dto.extra ? { extra: JSON.parse(JSON.stringify(dto.extra)) as Record<string, unknown> } : {}),
  };
}
