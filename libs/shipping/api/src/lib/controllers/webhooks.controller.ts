import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard, TenantId } from '@shipbatch/platform/auth';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { WebhooksService } from '@shipbatch/shipping/application';
import { ListQueryDto } from '../dto/batch.dto';
import { CreateWebhookDto, UpdateWebhookDto } from '../dto/webhook.dto';
import { presentWebhook, presentWebhookAttempt, presentWebhookDelivery } from '../presenters/webhook.presenters';

/** Webhooks (Shippo's routes), their deliveries and redelivery; tenant-scoped (another tenant's id is 404). */
@ApiTags('webhooks')
@UseGuards(ApiKeyGuard)
@Controller('webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a webhook; its secret (whsec_...) is in this answer only' })
  async create(@TenantId() tenantId: string, @Body() dto: CreateWebhookDto) {
    const { webhook, secret } = await this.webhooks.create(tenantId, { url: dto.url, event: dto.event, isTest: dto.is_test, active: dto.active });
    return presentWebhook(webhook, secret);
  }

  @Get()
  async list(@TenantId() tenantId: string, @Query() query: ListQueryDto) {
    const page = query.page ?? 1;
    const size = query.results ?? 25;
    const { results, count } = await this.webhooks.list(tenantId, page, size);
    return { count, ...this.links('/webhooks', page, size, count), results: results.map((w) => presentWebhook(w)) };
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentWebhook(await this.webhooks.get(tenantId, id));
  }

  @Put(':id')
  async update(@TenantId() tenantId: string, @Param('id') id: string, @Body() dto: UpdateWebhookDto) {
    return presentWebhook(await this.webhooks.update(tenantId, id, { url: dto.url, event: dto.event, isTest: dto.is_test, active: dto.active }));
  }

  @Delete(':id')
  @HttpCode(204)
  async remove(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.webhooks.delete(tenantId, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "The webhook's deliveries, newest first, with their attempts so far" })
  async deliveries(@TenantId() tenantId: string, @Param('id') id: string, @Query() query: ListQueryDto) {
    const page = query.page ?? 1;
    const size = query.results ?? 25;
    const { results, count } = await this.webhooks.deliveries(tenantId, id, page, size);
    return { count, ...this.links(`/webhooks/${encodeURIComponent(id)}/deliveries`, page, size, count), results: results.map(presentWebhookDelivery) };
  }

  @Get(':id/deliveries/:deliveryId')
  @ApiOperation({ summary: 'One delivery with every attempt (time, outcome, status code, error, duration), oldest first' })
  async delivery(@TenantId() tenantId: string, @Param('id') id: string, @Param('deliveryId') deliveryId: string) {
    const { delivery, attempts } = await this.webhooks.delivery(tenantId, id, deliveryId);
    return { ...presentWebhookDelivery(delivery), attempt_history: attempts.map(presentWebhookAttempt) };
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again at once, with the same webhook-id' })
  async redeliver(@TenantId() tenantId: string, @Param('id') id: string, @Param('deliveryId') deliveryId: string) {
    return presentWebhookDelivery(await this.webhooks.redeliver(tenantId, id, deliveryId));
  }

  private links(path: string, page: number, size: number, count: number) {
    const link = (p: number) => `${this.config.publicBaseUrl}${path}?page=${p}&results=${size}`;
    return { next: page * size < count ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null };
  }
}
