import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { WEBHOOK_EVENTS, type WebhookEvent } from '@shipbatch/shipping/domain';
import { WEBHOOK_URL_MAX } from './create-webhook.dto';

/** `PUT /webhooks/{id}`: any of the fields; those not given keep their values. */
export class UpdateWebhookDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @IsNotEmpty() @MaxLength(WEBHOOK_URL_MAX) url?: string;
  @ApiPropertyOptional({ enum: WEBHOOK_EVENTS }) @IsOptional() @IsIn(WEBHOOK_EVENTS) event?: WebhookEvent;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() is_test?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() active?: boolean;
}
