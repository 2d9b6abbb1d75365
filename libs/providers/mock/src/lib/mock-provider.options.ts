import { IsInt, IsNumber, IsOptional, Max, Min } from 'class-validator';

/** Carrier account `parameters` of a mock account (snake_case, as clients send them). */
export class MockProviderOptions {
  /** Milliseconds every provider call takes. */
  @IsOptional() @IsInt() @Min(0) @Max(60_000) latency_ms?: number;
  /** Share of purchase calls that fail as retryable "provider unavailable" errors (0..1). */
  @IsOptional() @IsNumber() @Min(0) @Max(1) fail_rate?: number;
  /** Above this many calls a minute the provider answers 429 with Retry-After. */
  @IsOptional() @IsInt() @Min(1) rate_limit_per_minute?: number;
  /** Starting prepaid balance in dollars (applies when the account is first used). */
  @IsOptional() @IsNumber() @Min(0) initial_balance?: number;
  /** Price of every label in dollars; default: a fixed price per service level. */
  @IsOptional() @IsNumber() @Min(0) label_cost?: number;
}
