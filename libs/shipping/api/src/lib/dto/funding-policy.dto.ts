import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, Max, Min } from 'class-validator';
import { IsNumberLike } from '@shipbatch/providers/core';
import type { FundingPolicy } from '@shipbatch/shipping/domain';
import { Money } from '@shipbatch/shipping/domain';

/** Largest amount taken, in major units (keeps minor units well inside safe integers). */
export const MAX_AMOUNT = 1_000_000_000;

/** An amount in major units, as a number or a decimal string ("50.00"), for the document. */
const AMOUNT = { oneOf: [{ type: 'number', minimum: 0, maximum: MAX_AMOUNT }, { type: 'string', pattern: '^\\d+(\\.\\d+)?$' }] };

/** Automatic funding of a prepaid balance; amounts in the account's currency, numbers or decimal strings. */
export class FundingPolicyDto {
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() enabled?: boolean;
  @ApiPropertyOptional({ ...AMOUNT, example: 100, description: 'top up ahead of a batch when the balance would fall below this' })
  @IsOptional()
  @Min(0)
  @Max(MAX_AMOUNT)
  @IsNumberLike()
  min_balance?: number;
  @ApiPropertyOptional({ ...AMOUNT, example: 500, description: 'the usual top-up; more when a batch needs more' })
  @IsOptional()
  @Min(0)
  @Max(MAX_AMOUNT)
  @IsNumberLike()
  top_up_amount?: number;
  @ApiPropertyOptional({ ...AMOUNT, example: 2000, description: 'at most this much in top-ups per UTC day' })
  @IsOptional()
  @Min(0)
  @Max(MAX_AMOUNT)
  @IsNumberLike()
  daily_cap?: number;
}

/** The DTO's major units as the policy's minor units; fields not given stay undefined. */
export function toFundingPolicy(dto: FundingPolicyDto | undefined | null): Partial<FundingPolicy> | undefined {
  if (!dto) return undefined;
  const minor = (v: number | undefined) => (v === undefined || v === null ? undefined : Money.ofMajor(v).minor);
  return {
    enabled: dto.enabled ?? undefined,
    minBalanceMinor: minor(dto.min_balance),
    topUpAmountMinor: minor(dto.top_up_amount),
    dailyCapMinor: minor(dto.daily_cap),
  };
}
