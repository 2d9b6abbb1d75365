import { IsBoolean, IsInt, IsNotEmpty, IsOptional, IsString, Min } from 'class-validator';
import { IsNumberLike } from '@shipbatch/providers/core';

/**
 * Carrier account `parameters` of a `shipstation` account (ShipStation API v2), validated with
 * class-validator when the account is saved and again when a process starts. Numbers may be sent
 * as decimal strings (`"200"`), as Shippo clients do.
 */
export class ShipStationProviderOptions {
  /** The ShipStation API key (secret: encrypted at rest, never returned, logged or put in errors). */
  @IsString() @IsNotEmpty() api_key!: string;
  /** ShipStation's id of the carrier connection the account buys from (`se-123456`). */
  @IsString() @IsNotEmpty() carrier_id!: string;
  /** Calls a minute allowed per API key; every worker and every account with the same key shares it. */
  @IsOptional() @IsInt() @Min(1) @IsNumberLike() rate_limit_per_minute?: number = 200;
  /** The smallest share of a batch bought through ShipStation's batch API; smaller shares are bought one label per call. */
  @IsOptional() @IsInt() @Min(1) @IsNumberLike() native_batch_min_size?: number = 50;
  /** Check both addresses through POST /v2/addresses/validate when a shipment is validated. */
  @IsOptional() @IsBoolean() validate_addresses?: boolean = false;
}
