import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { MAX_PAGE, QueryInt } from './query-int.decorator';

/**
 * `page` and `results` of Shippo's list routes. The default page size is the route's own
 * (Shippo: 5 for addresses and carrier accounts, 25 elsewhere); at most 100.
 */
export class ShippoPageQueryDto {
  @QueryInt({ max: MAX_PAGE, default: 1 }) page?: number;
  @QueryInt({ max: 100, description: 'page size (default 25; 5 for addresses and carrier accounts)' }) results?: number;
}

/** Shippo's transaction statuses; a Shipbatch transaction is SUCCESS, or REFUNDED once voided. */
export const TRANSACTION_STATUSES = ['WAITING', 'QUEUED', 'SUCCESS', 'ERROR', 'REFUNDED', 'REFUNDPENDING', 'REFUNDREJECTED'] as const;
export const TRACKING_STATUSES = ['UNKNOWN', 'PRE_TRANSIT', 'TRANSIT', 'DELIVERED', 'RETURNED', 'FAILURE'] as const;

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

export class ListCarrierAccountsQueryDto extends ShippoPageQueryDto {
  @ApiPropertyOptional({ description: 'only accounts of this carrier (e.g. usps)' }) @IsOptional() @IsString() carrier?: string;
  @ApiPropertyOptional({ description: "only accounts with this account_id (the provider's account id)" }) @IsOptional() @IsString() account_id?: string;
}
