import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import {
  LABEL_SORT_BY,
  LABEL_SORT_DIR,
  LABEL_STATUSES,
  type LabelSortBy,
  type LabelSortDir,
  type LabelStatus,
  LABELS_DEFAULT_PAGE_SIZE,
  LABELS_MAX_PAGE_SIZE,
} from '@shipbatch/shipping/domain';
import { MAX_PAGE, QueryInt } from './query-int.decorator';

/** Query parameters of GET /v2/labels, as ShipStation names them. Any bad value: 400 naming it. */
export class ListLabelsQueryDto {
  @ApiPropertyOptional({ enum: LABEL_STATUSES }) @IsOptional() @IsIn(LABEL_STATUSES) label_status?: LabelStatus;
  @ApiPropertyOptional({ description: 'carrier account id' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) carrier_id?: string;
  @ApiPropertyOptional({ description: 'e.g. usps_priority' }) @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) service_code?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) tracking_number?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(128) batch_id?: string;
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
}

/** The filters in the order links repeat them. */
export const LABEL_FILTER_PARAMS = [
  'label_status',
  'carrier_id',
  'service_code',
  'tracking_number',
  'batch_id',
  'warehouse_id',
  'created_at_start',
  'created_at_end',
] as const;
