import { IsInt, IsNotEmpty, IsOptional, IsString, Min } from 'class-validator';

/** Carrier account `parameters` of a `shipstation_v1` account, validated when saved and at boot. */
export class ShipStationV1ProviderOptions {
  /** The credential (secret). */
  @IsString() @IsNotEmpty() api_key: string;
  /** Calls a minute allowed per credential. */
  @IsOptional() @IsInt() @Min(1) rate_limit_per_minute?: number = 40;
}
