import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';

/** `POST /local/api_keys`. */
export class ReplaceKeyDto {
  /** Tenant id or (unique) name; `demo` when absent. */
  @ApiProperty({ required: false, example: 'demo', maxLength: 200, description: 'tenant id or (unique) name; default demo' })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  tenant?: string;
}
