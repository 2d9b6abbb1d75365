import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { LABEL_FILE_TYPES } from '@shipbatch/providers/core';
import { BatchShipmentDto } from './batch-shipment.dto';
import { EachIsObject } from './each-object.decorator';

/** The most shipments one request may carry (a batch, or shipments added to one). */
export const MAX_BATCH_SHIPMENTS = 10_000;

/** `POST /batches`. */
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
