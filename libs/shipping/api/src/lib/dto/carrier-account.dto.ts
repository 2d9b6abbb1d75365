import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsNotEmpty, IsObject, IsOptional, IsString, MaxLength } from 'class-validator';

export class CreateCarrierAccountDto {
  @ApiProperty({ example: 'mock', description: 'a registered provider: mock, or one a platform team added' })
  @IsString()
  @IsNotEmpty()
  provider: string;
  @ApiProperty({ example: 'usps' }) @IsString() @IsNotEmpty() @MaxLength(50) carrier: string;
  @ApiProperty() @IsString() @IsNotEmpty() @MaxLength(200) account_id: string;
  @ApiPropertyOptional({ description: 'credentials and provider ids; encrypted at rest, never returned' })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() test?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
}

export class UpdateCarrierAccountDto {
  @ApiPropertyOptional() @IsOptional() @IsObject() parameters?: Record<string, unknown>;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) metadata?: string;
}
