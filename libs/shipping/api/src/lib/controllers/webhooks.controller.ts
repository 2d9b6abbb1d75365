import { Body, Delete, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiParam } from '@nestjs/swagger';
import { TenantId } from '@shipbatch/platform/auth';
import { APP_CONFIG, type AppConfig, linkBase } from '@shipbatch/platform/config';
import { WebhooksService } from '@shipbatch/shipping/application';
import {
  presentWebhook,
  presentWebhookAttempt,
  presentWebhookDelivery,
  shippoPageSchema,
  WEBHOOK_CREATED_SCHEMA,
  WEBHOOK_DELIVERY_DETAIL_SCHEMA,
  WEBHOOK_DELIVERY_SCHEMA,
  WEBHOOK_SCHEMA,
} from '@shipbatch/shipping/presentation';
import { CreateWebhookDto } from '../dto/create-webhook.dto';
import { SHIPPO_PAGE_400, ShippoPageQueryDto, shippoPageWindow } from '../dto/shippo-page-query.dto';
import { UpdateWebhookDto } from '../dto/update-webhook.dto';
import { TenantController } from '../http/tenant-controller.decorator';
import { ApiAnswer, ApiErrors } from '../openapi/decorators';

/** Webhooks (Shippo's routes), their deliveries and redelivery; tenant-scoped (another tenant's id is 404). */
@TenantController('webhooks')
export class WebhooksController {
  constructor(
    private readonly webhooks: WebhooksService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiAnswer(201, WEBHOOK_CREATED_SCHEMA, 'The webhook with its secret (shown this once)')
  @ApiErrors(
    { 400: 'a field is missing or invalid (named); the url is not https (or http with is_test), or its host is private, loopback or link-local' },
    { body: true, idempotent: true },
  )
  @ApiOperation({
    operationId: 'createWebhook',
    summary: 'Create a webhook',
    description: "Deliveries of the chosen event (or `all`) are POSTed to `url`, signed per Standard Webhooks with the webhook's secret (whsec_...), which is in this answer only.",
  })
  async create(@TenantId() tenantId: string, @Body() dto: CreateWebhookDto) {
    const { webhook, secret } = await this.webhooks.create(tenantId, { url: dto.url, event: dto.event, isTest: dto.is_test, active: dto.active });
    return presentWebhook(webhook, secret);
  }

  @Get()
  @ApiAnswer(200, shippoPageSchema(WEBHOOK_SCHEMA), 'One page of webhooks')
  @ApiErrors(SHIPPO_PAGE_400)
  @ApiOperation({
    operationId: 'listWebhooks',
    summary: "The tenant's webhooks, newest first",
    description: 'One page of webhooks, without their secrets; 25 a page by default.',
  })
  async list(@TenantId() tenantId: string, @Query() query: ShippoPageQueryDto) {
    const { page, results: size } = shippoPageWindow(query, 25);
    const { results, count } = await this.webhooks.list(tenantId, page, size);
    return { count, ...this.links('/webhooks', page, size, count), results: results.map((w) => presentWebhook(w)) };
  }

  @Get(':id')
  @ApiAnswer(200, WEBHOOK_SCHEMA, 'The webhook (without its secret)')
  @ApiErrors({ 404: 'no webhook of the tenant has this id' })
  @ApiOperation({
    operationId: 'getWebhook',
    summary: 'Get a webhook',
    description: 'One webhook of the tenant, without its secret.',
  })
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentWebhook(await this.webhooks.get(tenantId, id));
  }

  @Put(':id')
  @ApiAnswer(200, WEBHOOK_SCHEMA, 'The webhook as changed')
  @ApiErrors({ 400: 'a field is invalid (named), or the url is refused', 404: 'no webhook of the tenant has this id' }, { body: true })
  @ApiOperation({
    operationId: 'updateWebhook',
    summary: 'Change a webhook',
    description: 'Change url, event, is_test or active; fields not given keep their values. `active: true` turns on a webhook the service turned off after a 410.',
  })
  async update(@TenantId() tenantId: string, @Param('id') id: string, @Body() dto: UpdateWebhookDto) {
    return presentWebhook(await this.webhooks.update(tenantId, id, { url: dto.url, event: dto.event, isTest: dto.is_test, active: dto.active }));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors({ 404: 'no webhook of the tenant has this id' })
  @ApiOperation({
    operationId: 'deleteWebhook',
    summary: 'Delete a webhook',
    description: 'No more deliveries are made to it; those pending are dropped.',
  })
  async remove(@TenantId() tenantId: string, @Param('id') id: string): Promise<void> {
    await this.webhooks.delete(tenantId, id);
  }

  @Get(':id/deliveries')
  @ApiAnswer(200, shippoPageSchema(WEBHOOK_DELIVERY_SCHEMA), 'One page of deliveries')
  @ApiErrors({ ...SHIPPO_PAGE_400, 404: 'no webhook of the tenant has this id' })
  @ApiOperation({
    operationId: 'listWebhookDeliveries',
    summary: "The webhook's deliveries, newest first",
    description: 'Each delivery with its status, attempts so far, the last status code or error, and when it is next tried; 25 a page by default.',
  })
  async deliveries(@TenantId() tenantId: string, @Param('id') id: string, @Query() query: ShippoPageQueryDto) {
    const { page, results: size } = shippoPageWindow(query, 25);
    const { results, count } = await this.webhooks.deliveries(tenantId, id, page, size);
    return { count, ...this.links(`/webhooks/${encodeURIComponent(id)}/deliveries`, page, size, count), results: results.map(presentWebhookDelivery) };
  }

  @Get(':id/deliveries/:deliveryId')
  @ApiParam({ name: 'deliveryId', description: 'the delivery object id (also its webhook-id header)' })
  @ApiAnswer(200, WEBHOOK_DELIVERY_DETAIL_SCHEMA, 'The delivery with attempt_history')
  @ApiErrors({ 404: 'no such webhook, or no such delivery of it' })
  @ApiOperation({
    operationId: 'getWebhookDelivery',
    summary: 'Get a delivery with every attempt',
    description: 'One delivery with `attempt_history`: every attempt (time, outcome, status code, error, duration), oldest first.',
  })
  async delivery(@TenantId() tenantId: string, @Param('id') id: string, @Param('deliveryId') deliveryId: string) {
    const { delivery, attempts } = await this.webhooks.delivery(tenantId, id, deliveryId);
    return { ...presentWebhookDelivery(delivery), attempt_history: attempts.map(presentWebhookAttempt) };
  }

  @Post(':id/deliveries/:deliveryId/redeliver')
  @HttpCode(202)
  @ApiParam({ name: 'deliveryId', description: 'the delivery object id' })
  @ApiAnswer(202, WEBHOOK_DELIVERY_SCHEMA, 'The delivery, pending')
  @ApiErrors({ 400: 'the webhook’s url is refused now (e.g. its host resolves to a private address)', 404: 'no such webhook, or no such delivery of it' }, { idempotent: true })
  @ApiOperation({
    operationId: 'redeliverWebhookDelivery',
    summary: 'Send a delivery again now',
    description: 'Sent again at once with the same webhook-id (receivers dedupe by it), whatever its status; ends probing of a receiver that could not be reached.',
  })
  async redeliver(@TenantId() tenantId: string, @Param('id') id: string, @Param('deliveryId') deliveryId: string) {
    return presentWebhookDelivery(await this.webhooks.redeliver(tenantId, id, deliveryId));
  }

  private links(path: string, page: number, size: number, count: number) {
    const link = (p: number) => `${linkBase(this.config)}${path}?page=${p}&results=${size}`;
    return { next: page * size < count ? link(page + 1) : null, previous: page > 1 ? link(page - 1) : null };
  }
}
