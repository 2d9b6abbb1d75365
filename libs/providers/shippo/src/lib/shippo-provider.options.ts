import { IsInt, IsNotEmpty, IsOptional, IsString, Min } from 'class-validator';
import { IsNumberLike } from '@shipbatch/providers/core';

/**
 * Carrier account `parameters` of a `shippo` account, validated with class-validator when the
 * account is saved and again when a process starts. Numbers may be sent as decimal strings
 * (`"500"`), as Shippo clients do.
 */
export class ShippoProviderOptions {
  /** The Shippo API token, sent as `Authorization: ShippoToken <token>` (secret). */
  @IsString() @IsNotEmpty() api_token!: string;
  /** Shippo's object id of the carrier account labels are bought from. */
  @IsString() @IsNotEmpty() carrier_account!: string;
  /** The smallest share of a batch bought through Shippo's own batch API; smaller shares are bought one by one. */
  @IsOptional() @IsInt() @Min(1) @IsNumberLike() native_batch_min_size?: number = 50;
  /**
   * The token's limit on buying labels (`POST /transactions`) a minute; Shippo's other limits
   * (reads 4,000, listings 50, batch calls 50 and 400, see shippo.limits.ts) scale with it.
   * Every worker and every account with the token shares them. A test token: 50.
   */
  @IsOptional() @IsInt() @Min(1) @IsNumberLike() rate_limit_per_minute?: number = 500;
}
