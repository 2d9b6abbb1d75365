import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsCurrencyCode } from './currency-code.decorator';
import { IsPositiveDecimal } from './positive-decimal.decorator';

/** Shippo's `insurance`: the declared value and its currency; `provider` asks for the carrier's own insurance. */
export class InsuranceDto {
  @ApiProperty({ example: '100.00', description: 'declared value, a decimal string or a number' }) @IsPositiveDecimal() amount: string;
  @ApiProperty({ example: 'USD' }) @IsCurrencyCode() currency: string;
  @ApiPropertyOptional({ maxLength: 200 }) @IsOptional() @IsString() @MaxLength(200) content?: string;
  @ApiPropertyOptional({ enum: ['FEDEX', 'UPS', 'ONTRAC'] }) @IsOptional() @IsIn(['FEDEX', 'UPS', 'ONTRAC']) provider?: string;
}
