import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import type { BatchShipmentInput } from '@shipbatch/shipping/application';
import { ShipmentDto, toShipmentInput } from './shipment.dto';

/** One shipment of a batch, with its optional carrier account and service level overrides. */
export class BatchShipmentDto {
  @ApiProperty({ type: ShipmentDto }) @IsObject() @ValidateNested() @Type(() => ShipmentDto) shipment: ShipmentDto;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() carrier_account?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() servicelevel_token?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
}

/** A validated batch shipment as the create and add commands take it. */
export function toBatchShipmentInput(dto: BatchShipmentDto): BatchShipmentInput {
  return {
    shipment: toShipmentInput(dto.shipment),
    carrier_account: dto.carrier_account,
    servicelevel_token: dto.servicelevel_token,
    metadata: dto.metadata,
  };
}
