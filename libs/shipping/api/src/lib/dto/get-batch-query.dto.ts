import { AcceptedIgnored } from './accepted-ignored.decorator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { OBJECT_RESULTS, type ObjectResultsFilter } from '@shipbatch/shipping/domain';
import { MAX_PAGE, QueryInt } from './query-int.decorator';

/** `GET /batches/{id}`: one page of the batch's shipments (100 a page), optionally filtered by outcome. */
export class GetBatchQueryDto {
  @QueryInt({ max: MAX_PAGE, default: 1, description: 'the page of batch shipments (100 a page)' }) page?: number;
  @ApiPropertyOptional({ enum: OBJECT_RESULTS }) @IsOptional() @IsIn(OBJECT_RESULTS) object_results?: ObjectResultsFilter;
  @AcceptedIgnored('string', 'the Shippo SDK always sends it (default 5); batch shipments are listed 100 a page') results?: string;
}
