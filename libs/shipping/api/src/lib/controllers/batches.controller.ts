import { Body, Controller, Get, HttpCode, Inject, Param, ParseArrayPipe, Post, Put, Query, UseGuards } from '@nestjs/common';
import { ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { ApiKeyGuard, TenantId } from '@shipbatch/platform/auth';
import {
  BatchQueriesService,
  type BatchShipmentInput,
  ChangeBatchShipmentsUseCase,
  CreateBatchUseCase,
  PurchaseBatchUseCase,
} from '@shipbatch/shipping/application';
import type { Batch } from '@shipbatch/shipping/domain';
import { ApiError, validationExceptionFactory } from '../http/api-error';
import { BatchShipmentDto, CreateBatchDto, GetBatchQueryDto, ListQueryDto, MAX_BATCH_SHIPMENTS } from '../dto/batch.dto';
import { presentBatch } from '../presenters/shippo.presenters';

const shipmentArrayPipe = new ParseArrayPipe({
  items: BatchShipmentDto,
  whitelist: true,
  exceptionFactory: (errors) => (Array.isArray(errors) ? validationExceptionFactory(errors) : ApiError.validation('body', String(errors))),
});

@ApiTags('batches')
@ApiHeader({ name: 'Authorization', description: 'ShippoToken <key>, Bearer <key>, or use API-Key: <key>' })
@UseGuards(ApiKeyGuard)
@Controller('batches')
export class BatchesController {
  constructor(
    private readonly createBatch: CreateBatchUseCase,
    private readonly changeShipments: ChangeBatchShipmentsUseCase,
    private readonly purchaseBatch: PurchaseBatchUseCase,
    private readonly queries: BatchQueriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Create a batch of up to 10,000 shipments; validation runs in the background' })
  async create(@TenantId() tenantId: string, @Body() dto: CreateBatchDto) {
    const batch = await this.createBatch.execute({
      tenantId,
      defaultCarrierAccount: dto.default_carrier_account,
      defaultServicelevelToken: dto.default_servicelevel_token,
      labelFiletype: dto.label_filetype ?? 'PDF_4x6',
      metadata: dto.metadata ?? '',
      shipments: dto.batch_shipments as BatchShipmentInput[],
    });
    return presentBatch(batch, { baseUrl: this.config.publicBaseUrl, empty: true });
  }

  @Get()
  @ApiOperation({ summary: "The tenant's batches, newest first" })
  async list(@TenantId() tenantId: string, @Query() query: ListQueryDto) {
    const page = query.page ?? 1;
    const size = query.results ?? 25;
    const { items, total } = await this.queries.list(tenantId, page, size);
    const link = (p: number) => `${this.config.publicBaseUrl}/batches?page=${p}&results=${size}`;
    return {
      count: total,
      next: page * size < total ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: items.map((b) => presentBatch(b, { baseUrl: this.config.publicBaseUrl, labelUrls: this.queries.labelUrls(b) })),
    };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A batch with its shipments, 100 a page, in request order' })
  async get(@TenantId() tenantId: string, @Param('id') id: string, @Query() query: GetBatchQueryDto) {
    return this.render(tenantId, id, query.page ?? 1, query.object_results);
  }

  @Post(':id/add_shipments')
  @HttpCode(200)
  @ApiBody({ type: [BatchShipmentDto] })
  @ApiOperation({ summary: 'Add shipments (until purchase starts)' })
  async add(@TenantId() tenantId: string, @Param('id') id: string, @Body(shipmentArrayPipe) body: BatchShipmentDto[]) {
    if (body.length === 0) throw ApiError.validation('body', 'body must list at least one batch shipment');
    if (body.length > MAX_BATCH_SHIPMENTS) {
      throw ApiError.validation('body', `at most ${MAX_BATCH_SHIPMENTS} batch shipments can be added at once`);
    }
    await this.changeShipments.add(tenantId, id, body as BatchShipmentInput[]);
    return this.render(tenantId, id, 1);
  }

  @Post(':id/remove_shipments')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'array', items: { type: 'string' } } })
  @ApiOperation({ summary: 'Remove shipments by batch shipment id (until purchase starts)' })
  removePost(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: unknown) {
    return this.remove(tenantId, id, body);
  }

  @Put(':id/remove_shipments')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'array', items: { type: 'string' } } })
  removePut(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: unknown) {
    return this.remove(tenantId, id, body);
  }

  @Post(':id/purchase')
  @HttpCode(202)
  @ApiOperation({ summary: 'Purchase a VALID batch; purchasing a PURCHASED batch again retries its failures' })
  async purchase(@TenantId() tenantId: string, @Param('id') id: string) {
    const batch = await this.purchaseBatch.execute(tenantId, id);
    return this.render(tenantId, batch.id, 1);
  }

  private async remove(tenantId: string, id: string, body: unknown) {
    if (!Array.isArray(body) || body.length === 0) {
      throw ApiError.validation('body', 'body must be a non-empty array of batch shipment ids');
    }
    const bad = body.findIndex((x) => typeof x !== 'string' || x.length === 0 || x.length > 64);
    if (bad >= 0) throw ApiError.validation(`[${bad}]`, `[${bad}] must be a batch shipment id (string)`);
    await this.changeShipments.remove(tenantId, id, body as string[]);
    return this.render(tenantId, id, 1);
  }

  private async render(tenantId: string, id: string, page: number, filter?: string): Promise<ReturnType<typeof presentBatch>> {
    const details = await this.queries.get(tenantId, id, page, filter as never);
    return presentBatch(details.batch as Batch, { details, baseUrl: this.config.publicBaseUrl, filter });
  }
}
