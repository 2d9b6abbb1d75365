import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  LABEL_SORT_BY,
  LABEL_SORT_DIR,
  LABEL_STATUSES,
  type LabelSortBy,
  type LabelSortDir,
  type LabelStatus,
  LABELS_DEFAULT_PAGE_SIZE,
  LABELS_MAX_PAGE_SIZE,
  REFUND_STATUSES,
  type RefundStatus,
} from '@shipbatch/shipping/domain';
import { QueryList } from '../http/query-list.decorator';
import { LabelDownloadType } from './label-download-query.dto';
import { MAX_PAGE, QueryInt } from './query-int.decorator';

/** Query parameters of GET /v2/labels, as ShipStation names them. Any bad value: 400 naming it. */
export class ListLabelsQueryDto {
  @ApiPropertyOptional({ enum: LABEL_STATUSES }) @IsOptional() @IsIn(LABEL_STATUSES) label_status?: LabelStatus;
  @ApiPropertyOptional({ description: 'carrier account id' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) carrier_id?: string;
  @ApiPropertyOptional({ description: 'e.g. usps_priority' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) service_code?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) tracking_number?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) batch_id?: string;
  @ApiPropertyOptional({ description: 'the shipment (object id) the label was bought for' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) shipment_id?: string;
  @ApiPropertyOptional({ description: 'labels are bought without a rate here, so a rate id matches no label' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  rate_id?: string;
  @ApiPropertyOptional({
    enum: REFUND_STATUSES,
    isArray: true,
    description: 'any of these, repeated or comma-separated; a voided label’s refund is approved, other labels have none',
  })
  @IsOptional()
  @QueryList()
  @Transform(toList)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(REFUND_STATUSES.length * 2)
  @IsIn(REFUND_STATUSES, { each: true })
  refund_status?: RefundStatus[];
  @ApiPropertyOptional({ description: 'object id of the ship-from address' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(128)
  warehouse_id?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, e.g. 2026-01-31T00:00:00Z; labels created at or after it', format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  created_at_start?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, e.g. 2026-01-31T23:59:59Z; labels created at or before it', format: 'date-time' })
  @IsOptional()
  @IsISO8601({ strict: true })
  created_at_end?: string;
  @QueryInt({ max: MAX_PAGE, default: 1, description: 'past the last page: an empty page' }) page?: number;
  @QueryInt({ max: LABELS_MAX_PAGE_SIZE, default: LABELS_DEFAULT_PAGE_SIZE }) page_size?: number;
  @ApiPropertyOptional({
    enum: LABEL_SORT_DIR,
    default: 'desc',
    description: 'which part of the data (oldest or newest) a page holds; a page is always listed oldest to newest',
  })
  @IsOptional()
  @IsIn(LABEL_SORT_DIR)
  sort_dir?: LabelSortDir;
  @ApiPropertyOptional({ enum: LABEL_SORT_BY, default: 'created_at' }) @IsOptional() @IsIn(LABEL_SORT_BY) sort_by?: LabelSortBy;
  @LabelDownloadType() label_download_type?: 'url';
}


/** The filters in the order links repeat them. */
export const LABEL_FILTER_PARAMS = [
  'label_status',
  'carrier_id',
  'service_code',
  'tracking_number',
  'batch_id',
  'warehouse_id',
  'shipment_id',
  'rate_id',
  'refund_status',
  'created_at_start',
  'created_at_end',
  'label_download_type',
] as const;

/** `a,b` and repeated parameters alike, as one list; anything but strings is left for the validators to refuse. */
function toList({ value }: { value: unknown }): unknown {
  const parts = typeof value === 'string' ? [value] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
  return parts ? parts.flatMap((v: string) => v.split(',')).map((v) => v.trim()) : value;
}

