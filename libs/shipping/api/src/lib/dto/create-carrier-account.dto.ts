import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { FundingPolicyDto } from './funding-policy.dto';

/** `POST /carrier_accounts`. */
export class CreateCarrierAccountDto {
  @ApiPropertyOptional({
    example: 'mock',
    description: 'a registered provider: mock, shippo, shipstation, or one a platform team added; also accepted as parameters.provider (the shippo SDK has no provider field); default DEFAULT_PROVIDER (mock)',
  })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  provider?: string;
  @ApiProperty({ example: 'usps' }) @IsString() @IsNotEmpty() @MaxLength(50) carrier: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) account_id: string;
  @ApiPropertyOptional({ description: 'credentials and provider ids; encrypted at rest, never returned' })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() test?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
  @ApiPropertyOptional({ type: FundingPolicyDto, description: 'automatic funding; default disabled' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FundingPolicyDto)
  funding?: FundingPolicyDto;
}
