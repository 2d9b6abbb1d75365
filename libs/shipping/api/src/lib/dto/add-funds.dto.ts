import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Max, Min } from 'class-validator';
import { IsNumberLike } from '@shipbatch/providers/core';
import { IsCurrencyCode } from './currency-code.decorator';
import { MAX_AMOUNT } from './funding-policy.dto';

/** `POST /carrier_accounts/{id}/add_funds`. */
export class AddFundsDto {
  @ApiProperty({ oneOf: [{ type: 'number', minimum: 0.01, maximum: MAX_AMOUNT }, { type: 'string', pattern: '^\\d+(\\.\\d+)?$' }], example: 50, description: 'in the account currency; a number or a decimal string ("50.00")' })
  @Min(0.01)
  @Max(MAX_AMOUNT)
  @IsNumberLike()
  amount: number;
  @ApiPropertyOptional({ default: 'usd', description: "ISO 4217; the account's currency" }) @IsOptional() @IsCurrencyCode() currency?: string;
}
