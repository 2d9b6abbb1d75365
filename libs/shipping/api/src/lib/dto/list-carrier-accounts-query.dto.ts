import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { ShippoPageQueryDto } from './shippo-page-query.dto';

/** `GET /carrier_accounts`: a page, filtered by carrier or account_id. */
export class ListCarrierAccountsQueryDto extends ShippoPageQueryDto {
  @ApiPropertyOptional({ description: 'only accounts of this carrier (e.g. usps)' }) @IsOptional() @IsString() carrier?: string;
  @ApiPropertyOptional({ description: "only accounts with this account_id (the provider's account id)" }) @IsOptional() @IsString() account_id?: string;
}
