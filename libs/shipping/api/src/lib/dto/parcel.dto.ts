import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsPositiveDecimal } from './positive-decimal.decorator';

export const DISTANCE_UNITS = ['cm', 'in', 'ft', 'mm', 'm', 'yd'] as const;
export const MASS_UNITS = ['g', 'oz', 'lb', 'kg'] as const;

const SIZE = {
  oneOf: [
    { type: 'string', pattern: '^\\d+(\\.\\d+)?$' },
    { type: 'number', minimum: 0 },
  ],
  description: 'greater than 0; a decimal string or a number',
};

/** Shippo's parcel; sizes and weight greater than 0, as strings (as Shippo does) or as numbers. */
export class ParcelDto {
  @ApiProperty({ example: '10', ...SIZE }) @IsPositiveDecimal() length: string;
  @ApiProperty({ example: '8', ...SIZE }) @IsPositiveDecimal() width: string;
  @ApiProperty({ example: '4', ...SIZE }) @IsPositiveDecimal() height: string;
  @ApiProperty({ enum: DISTANCE_UNITS }) @IsIn(DISTANCE_UNITS) distance_unit: string;
  @ApiProperty({ example: '2', ...SIZE }) @IsPositiveDecimal() weight: string;
  @ApiProperty({ enum: MASS_UNITS }) @IsIn(MASS_UNITS) mass_unit: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
}
