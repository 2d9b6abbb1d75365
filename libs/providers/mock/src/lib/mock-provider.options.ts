import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsNumberLike } from '@shipbatch/providers/core';

/**
 * Carrier account `parameters` of a mock account (snake_case, as clients send them). The
 * registry validates them with class-validator (whitelist, no unknown fields) when an account
 * is saved; `plainToInstance` keeps the defaults below for fields that are not given. Every
 * number may also be sent as a decimal string (`"5.00"`), as Shippo clients do.
 */
export class MockProviderOptions {
  /** Milliseconds every provider call takes (at most a minute). */
  @IsOptional() @IsInt() @Min(0) @Max(60_000) @IsNumberLike() latency_ms?: number = 0;
  /** Share of purchase calls that fail as retryable "provider unavailable" errors (0..1). */
  @IsOptional() @Min(0) @Max(1) @IsNumberLike() fail_rate?: number = 0;
  /** Above this many purchase calls a minute the provider answers "rate limited" with a retry-after. */
  @IsOptional() @IsInt() @Min(1) @IsNumberLike() rate_limit_per_minute?: number;
  /** Starting prepaid balance in dollars (applies when the account is first used). */
  @IsOptional() @Min(0) @IsNumberLike() initial_balance?: number = 1_000_000;
  /** Price of every label in dollars; default: a fixed list price per service level. */
  @IsOptional() @Min(0) @IsNumberLike() label_cost?: number;
}
