import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNumberString, IsOptional, IsString, MaxLength } from 'class-validator';

const toDecimalString = ({ value }: { value: unknown }) =>
  typeof value === 'number' && Number.isFinite(value) ? String(value) : value;

export const DISTANCE_UNITS = ['cm', 'in', 'ft', 'mm', 'm', 'yd'] as const;
export const MASS_UNITS = ['g', 'oz', 'lb', 'kg'] as const;

/** Shippo's parcel; numbers as strings (as Shippo does) or as numbers. */
export class ParcelDto {
  @ApiProperty({ example: '10' }) @Transform(toDecimalString) @IsNumberString() length: string;
  @ApiProperty({ example: '8' }) @Transform(toDecimalString) @IsNumberString() width: string;
  @ApiProperty({ example: '4' }) @Transform(toDecimalString) @IsNumberString() height: string;
  @ApiProperty({ enum: DISTANCE_UNITS }) @IsIn(DISTANCE_UNITS) distance_unit: string;
  @ApiProperty({ example: '2' }) @Transform(toDecimalString) @IsNumberString() weight: string;
  @ApiProperty({ enum: MASS_UNITS }) @IsIn(MASS_UNITS) mass_unit: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
}
