import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { ShippoPageQueryDto } from './shippo-page-query.dto';

/** Shippo's transaction statuses; a Shipbatch transaction is SUCCESS, or REFUNDED once voided. */
export const TRANSACTION_STATUSES = ['WAITING', 'QUEUED', 'SUCCESS', 'ERROR', 'REFUNDED', 'REFUNDPENDING', 'REFUNDREJECTED'] as const;
export const TRACKING_STATUSES = ['UNKNOWN', 'PRE_TRANSIT', 'TRANSIT', 'DELIVERED', 'RETURNED', 'FAILURE'] as const;

/** `GET /transactions`: a page and Shippo's filters. */
export class ListTransactionsQueryDto extends ShippoPageQueryDto {
  @ApiPropertyOptional({ enum: TRANSACTION_STATUSES }) @IsOptional() @IsIn(TRANSACTION_STATUSES) object_status?: (typeof TRANSACTION_STATUSES)[number];
  @ApiPropertyOptional({ enum: TRACKING_STATUSES, description: 'Shipbatch does not track parcels: every transaction is UNKNOWN' })
  @IsOptional()
  @IsIn(TRACKING_STATUSES)
  tracking_status?: (typeof TRACKING_STATUSES)[number];
  @ApiPropertyOptional({ description: 'rate object id; Shipbatch buys without rate objects, so this matches nothing' })
  @IsOptional()
  @IsString()
  rate?: string;
}
