import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { WEBHOOK_EVENTS, type WebhookEvent } from '@shipbatch/shipping/domain';

/** The longest webhook url taken. */
export const WEBHOOK_URL_MAX = 2048;

/** `POST /webhooks`: Shippo's fields (`url`, `event`, `is_test`, `active`). */
export class CreateWebhookDto {
  @ApiProperty({ example: 'https://example.com/shipbatch/webhooks', description: 'https, or http when is_test' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(WEBHOOK_URL_MAX)
  url!: string;

  @ApiProperty({ enum: WEBHOOK_EVENTS })
  @IsIn(WEBHOOK_EVENTS)
  event!: WebhookEvent;

  @ApiPropertyOptional({ default: false }) @IsOptional() @IsBoolean() is_test?: boolean;
  @ApiPropertyOptional({ default: true }) @IsOptional() @IsBoolean() active?: boolean;
}
