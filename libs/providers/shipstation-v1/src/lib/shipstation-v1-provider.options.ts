import { IsInt, IsNotEmpty, IsOptional, IsString, Min } from 'class-validator';
import { IsNumberLike } from '@shipbatch/providers/core';

/**
 * Carrier account `parameters` of a `shipstation_v1` account (ShipStation's legacy API v1),
 * validated with class-validator when the account is saved and again when a process starts.
 * Numbers may be sent as decimal strings (`"40"`).
 */
export class ShipStationV1ProviderOptions {
  /** The ShipStation API key: the user name of HTTP Basic authentication (secret). */
  @IsString() @IsNotEmpty() api_key!: string;
  /** The ShipStation API secret: the password of HTTP Basic authentication (secret). */
  @IsString() @IsNotEmpty() api_secret!: string;
  /** ShipStation's code of the carrier the account buys from (`stamps_com`, `ups_walleted`, `fedex`, ...). */
  @IsString() @IsNotEmpty() carrier_code!: string;
  /** Calls a minute allowed per API key and secret; every worker and every account with the same pair shares it. */
  @IsOptional() @IsInt() @Min(1) @IsNumberLike() rate_limit_per_minute?: number = 40;
}
