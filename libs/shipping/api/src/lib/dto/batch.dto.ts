import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { LABEL_FILE_TYPES } from '@shipbatch/providers/core';
import { OBJECT_RESULTS } from '@shipbatch/shipping/domain';
import { AddressDto } from './address.dto';
import { EachIsObject } from './each-object.decorator';
import { IsRefOr } from './is-ref-or.decorator';
import { ParcelDto } from './parcel.dto';
import { MAX_PAGE, QueryInt } from './query-int.decorator';

export const MAX_BATCH_SHIPMENTS = 10_000;

export class ShipmentDto {
  @ApiPropertyOptional({ enum: ['PURCHASE', 'QUOTE'] }) @IsOptional() @IsIn(['PURCHASE', 'QUOTE']) object_purpose?: string;
  @ApiProperty({ description: 'address object id or inline address' }) @Type(() => AddressDto) @IsRefOr(AddressDto) address_from: string | AddressDto;
  @ApiProperty({ description: 'address object id or inline address' }) @Type(() => AddressDto) @IsRefOr(AddressDto) address_to: string | AddressDto;
  @ApiPropertyOptional() @IsOptional() @Type(() => AddressDto) @IsRefOr(AddressDto) address_return?: string | AddressDto;
  @ApiPropertyOptional({ description: 'parcel object ids or inline parcels' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Type(() => ParcelDto)
  @IsRefOr(ParcelDto, { each: true })
  parcels?: Array<string | ParcelDto>;
  @ApiPropertyOptional({ description: 'a single parcel, as in the seed' }) @IsOptional() @Type(() => ParcelDto) @IsRefOr(ParcelDto) parcel?: string | ParcelDto;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() shipment_date?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
  @ApiPropertyOptional({ description: "the caller's own id, unique per tenant" })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  external_shipment_id?: string;
}

export class BatchShipmentDto {
  @ApiProperty({ type: ShipmentDto }) @IsObject() @ValidateNested() @Type(() => ShipmentDto) shipment: ShipmentDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() carrier_account?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() servicelevel_token?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
}

export class CreateBatchDto {
  @ApiProperty() @IsString() @IsNotEmpty() default_carrier_account: string;
  @ApiProperty({ example: 'usps_priority' }) @IsString() @IsNotEmpty() default_servicelevel_token: string;
  @ApiPropertyOptional({ enum: LABEL_FILE_TYPES, default: 'PDF_4x6' }) @IsOptional() @IsIn(LABEL_FILE_TYPES) label_filetype?: string;
  @ApiPropertyOptional({ maxLength: 100 }) @IsOptional() @IsString() @MaxLength(100) metadata?: string;
  @ApiProperty({ type: [BatchShipmentDto], minItems: 1, maxItems: MAX_BATCH_SHIPMENTS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BATCH_SHIPMENTS)
  @EachIsObject('a batch shipment')
  @ValidateNested({ each: true })
  @Type(() => BatchShipmentDto)
  batch_shipments: BatchShipmentDto[];
}

export class GetBatchQueryDto {
  @QueryInt({ max: MAX_PAGE, default: 1, description: 'the page of batch shipments (100 a page)' }) page?: number;
  @ApiPropertyOptional({ enum: OBJECT_RESULTS }) @IsOptional() @IsIn(OBJECT_RESULTS) object_results?: (typeof OBJECT_RESULTS)[number];
}

export class ListQueryDto {
  @QueryInt({ max: MAX_PAGE, default: 1 }) page?: number;
  @QueryInt({ max: 100, default: 25, description: 'page size' }) results?: number;
}
