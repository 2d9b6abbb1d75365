import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { AcceptedIgnored } from './accepted-ignored.decorator';

/** Shippo's address fields. Completeness is checked by validation, not here: an incomplete
 * address makes its shipment INCOMPLETE instead of failing the request. */
export class AddressDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) company?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) street1?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) street2?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) street3?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) city?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) state?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(20) zip?: string;
  @ApiPropertyOptional({ description: 'ISO 3166-1 alpha-2' }) @IsOptional() @IsString() @MaxLength(2) country?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(50) phone?: string;
  @ApiPropertyOptional() @IsOptional() @IsEmail() email?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_residential?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
  @AcceptedIgnored('boolean', "Shippo's validation on creation; a shipment's addresses are validated with its provider when its batch is validated") validate?: boolean;
}
