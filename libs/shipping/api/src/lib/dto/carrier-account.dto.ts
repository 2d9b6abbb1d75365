import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsNumberLike } from '@shipbatch/providers/core';
import { IsCurrencyCode } from './currency-code.decorator';

/** Largest amount taken, in major units (keeps minor units well inside safe integers). */
const MAX_AMOUNT = 1_000_000_000;

/** Automatic funding of a prepaid balance; amounts in the account's currency, numbers or decimal strings. */
export class FundingPolicyDto {
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ example: 100, description: 'top up ahead of a batch when the balance would fall below this' })
  @IsOptional()
  @Min(0)
  @Max(MAX_AMOUNT)
  @IsNumberLike()
  min_balance?: number;
  @ApiPropertyOptional({ example: 500, description: 'the usual top-up; more when a batch needs more' })
  @IsOptional()
  @Min(0)
  @Max(MAX_AMOUNT)
  @IsNumberLike()
  top_up_amount?: number;
  @ApiPropertyOptional({ example: 2000, description: 'at most this much in top-ups per UTC day' })
  @IsOptional()
  @Min(0)
  @Max(MAX_AMOUNT)
  @IsNumberLike()
  daily_cap?: number;
}

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

export class UpdateCarrierAccountDto {
  @ApiPropertyOptional() @IsOptional() @IsObject() parameters?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
  @ApiPropertyOptional({ type: FundingPolicyDto, description: 'fields given replace those stored; others are kept' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => FundingPolicyDto)
  funding?: FundingPolicyDto;
}

/** `POST /carrier_accounts/{id}/add_funds`. */
export class AddFundsDto {
  @ApiProperty({ example: '50.00', description: 'in the account currency; a number or a decimal string' })
  @Min(0.01)
  @Max(MAX_AMOUNT)
  @IsNumberLike()
  amount: number;
  @ApiPropertyOptional({ default: 'usd', description: "ISO 4217; the account's currency" }) @IsOptional() @IsCurrencyCode() currency?: string;
}
