import { ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { carrierAccountParametersChangeSchema } from '../openapi/carrier-account.schemas';
import { FundingPolicyDto } from './funding-policy.dto';

/** `PUT /carrier_accounts/{id}`: fields not given keep their values. */
export class UpdateCarrierAccountDto {
  @ApiPropertyOptional({ description: "Shippo's update repeats it: the account's own value is accepted, another is refused (it cannot change)" })
  @IsOptional()
  @IsString()
  carrier?: string;
  @ApiPropertyOptional({ description: "Shippo's update repeats it: the account's own value is accepted, another is refused (it cannot change)" })
  @IsOptional()
  @IsString()
  account_id?: string;
  @ApiPropertyOptional({ type: 'object', ...carrierAccountParametersChangeSchema() } as ApiPropertyOptions)
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
  @ApiPropertyOptional({ type: FundingPolicyDto, description: 'fields given replace those stored; others are kept' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FundingPolicyDto)
  funding?: FundingPolicyDto;
}
