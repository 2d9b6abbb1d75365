import { Body, Get, HttpCode, Inject, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiOperation } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig, linkBase } from '@shipbatch/platform/config';
import { TenantId } from '@shipbatch/platform/auth';
import { BatchQueriesService, ChangeBatchShipmentsUseCase, CreateBatchUseCase, PurchaseBatchUseCase } from '@shipbatch/shipping/application';
import type { ObjectResultsFilter } from '@shipbatch/shipping/domain';
import { BATCH_LIST_SCHEMA, BATCH_SCHEMA, presentBatch } from '@shipbatch/shipping/presentation';
import { toBatchShipmentIds } from '../dto/batch-shipment-ids';
import { BatchShipmentDto, toBatchShipmentInput } from '../dto/batch-shipment.dto';
import { CreateBatchDto, MAX_BATCH_SHIPMENTS } from '../dto/create-batch.dto';
import { GetBatchQueryDto } from '../dto/get-batch-query.dto';
import { SHIPPO_PAGE_400, ShippoPageQueryDto, shippoPageWindow } from '../dto/shippo-page-query.dto';
import { ArrayBodyPipe } from '../http/array-body.pipe';
import { TenantController } from '../http/tenant-controller.decorator';
import { ApiAnswer, ApiErrors } from '../openapi/decorators';

const shipmentArrayPipe = new ArrayBodyPipe(BatchShipmentDto, 'batch shipment', MAX_BATCH_SHIPMENTS);

@TenantController('batches')
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
  @ApiAnswer(201, BATCH_SCHEMA, 'The batch, VALIDATING, with an empty batch_shipments page and zeroed object_results')
  @ApiErrors(
    { 400: 'a field is missing or invalid (named in field_name): wrong types, unknown enum values, over 10,000 shipments, metadata over 100 characters' },
    { body: true, idempotent: true },
  )
  @ApiOperation({
    operationId: 'createBatch',
    summary: 'Create a batch',
    description: 'Up to 10,000 shipments, each an inline shipment whose addresses and parcel are object ids or inline objects. Answers at once, VALIDATING; validation runs in the background (poll `GET /batches/{id}` or subscribe to `batch_created`).',
  })
  async create(@TenantId() tenantId: string, @Body() dto: CreateBatchDto) {
    const batch = await this.createBatch.execute({
      tenantId,
      defaultCarrierAccount: dto.default_carrier_account,
      defaultServicelevelToken: dto.default_servicelevel_token,
      labelFiletype: dto.label_filetype ?? 'PDF_4x6',
      metadata: dto.metadata ?? '',
      shipments: dto.batch_shipments.map(toBatchShipmentInput),
    });
    return presentBatch(batch, { baseUrl: linkBase(this.config), empty: true });
  }

  @Get()
  @ApiAnswer(200, BATCH_LIST_SCHEMA, 'One page of batches (without their shipments)')
  @ApiErrors(SHIPPO_PAGE_400)
  @ApiOperation({
    operationId: 'listBatches',
    summary: "The tenant's batches, newest first",
    description: 'One page of batches, without their shipments (`batch_shipments` is empty); 25 a page by default.',
  })
  async list(@TenantId() tenantId: string, @Query() query: ShippoPageQueryDto) {
    const { page, results: size } = shippoPageWindow(query, 25);
    const { items, total } = await this.queries.list(tenantId, page, size);
    const link = (p: number) => `${linkBase(this.config)}/batches?page=${p}&results=${size}`;
    return {
      count: total,
      next: page * size < total ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      results: items.map((b) => presentBatch(b, { baseUrl: linkBase(this.config), labelUrls: this.queries.labelUrls(b) })),
    };
  }

  @Get(':id')
  @ApiAnswer(200, BATCH_SCHEMA, 'The batch with one page of its shipments')
  @ApiErrors({ 400: 'page is not a positive integer, or object_results is not one of its values', 404: 'no batch of the tenant has this id' })
  @ApiOperation({
    operationId: 'getBatch',
    summary: 'Get a batch with one page of its shipments',
    description: 'The batch and its shipments, 100 a page in request order; `object_results` filters them by outcome (e.g. `creation_failed` lists the shipments validation refused, with their messages).',
  })
  async get(@TenantId() tenantId: string, @Param('id') id: string, @Query() query: GetBatchQueryDto) {
    return this.render(tenantId, id, query.page ?? 1, query.object_results);
  }

  @Post(':id/add_shipments')
  @HttpCode(200)
  @ApiBody({ type: [BatchShipmentDto] })
  @ApiAnswer(200, BATCH_SCHEMA, 'The batch, validating the new shipments')
  @ApiErrors(
    {
      400: 'the body is not a non-empty array of batch shipments (at most 10,000), or a field is invalid (named)',
      404: 'no batch of the tenant has this id',
      409: 'the batch’s purchase has started: shipments can no longer change',
    },
    { body: true, idempotent: true },
  )
  @ApiOperation({
    operationId: 'addBatchShipments',
    summary: 'Add shipments to a batch',
    description: 'Until purchase starts. The new shipments are validated in the background; the batch is VALIDATING again until they are.',
  })
  async add(@TenantId() tenantId: string, @Param('id') id: string, @Body(shipmentArrayPipe) body: BatchShipmentDto[]) {
    await this.changeShipments.add(tenantId, id, body.map(toBatchShipmentInput));
    return this.render(tenantId, id, 1);
  }

  @Post(':id/remove_shipments')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'array', items: { type: 'string' } } })
  @ApiAnswer(200, BATCH_SCHEMA, 'The batch without the removed shipments')
  @ApiErrors(
    {
      400: 'the body is not a non-empty array of batch shipment ids',
      404: 'no batch of the tenant has this id',
      409: 'the batch’s purchase has started: shipments can no longer change',
    },
    { body: true, idempotent: true },
  )
  @ApiOperation({
    operationId: 'removeBatchShipments',
    summary: 'Remove shipments from a batch',
    description: 'By batch shipment object_id, until purchase starts; the batch is validated again (VALID once every shipment left is).',
  })
  removePost(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: unknown) {
    return this.remove(tenantId, id, body);
  }

  @Put(':id/remove_shipments')
  @HttpCode(200)
  @ApiBody({ schema: { type: 'array', items: { type: 'string' } } })
  @ApiAnswer(200, BATCH_SCHEMA, 'The batch without the removed shipments')
  @ApiErrors(
    {
      400: 'the body is not a non-empty array of batch shipment ids',
      404: 'no batch of the tenant has this id',
      409: 'the batch’s purchase has started: shipments can no longer change',
    },
    { body: true },
  )
  @ApiOperation({
    operationId: 'removeBatchShipmentsPut',
    summary: 'Remove shipments from a batch (PUT)',
    description: 'The same as `POST /batches/{id}/remove_shipments`, under the method Shippo documents.',
  })
  removePut(@TenantId() tenantId: string, @Param('id') id: string, @Body() body: unknown) {
    return this.remove(tenantId, id, body);
  }

  @Post(':id/purchase')
  @HttpCode(202)
  @ApiAnswer(202, BATCH_SCHEMA, 'The batch, PURCHASING')
  @ApiErrors(
    { 404: 'no batch of the tenant has this id', 409: 'the batch is not VALID (or PURCHASED with failures to retry); the message says why' },
    { idempotent: true },
  )
  @ApiOperation({
    operationId: 'purchaseBatch',
    summary: 'Purchase a batch',
    description: 'A VALID batch is bought in the background: 202 PURCHASING at once, then PURCHASED once every label is bought or failed (`batch_purchased` webhook). Purchasing a PURCHASED batch again retries its failed shipments.',
  })
  async purchase(@TenantId() tenantId: string, @Param('id') id: string) {
    const batch = await this.purchaseBatch.execute(tenantId, id);
    return this.render(tenantId, batch.id, 1);
  }

  private async remove(tenantId: string, id: string, body: unknown) {
    await this.changeShipments.remove(tenantId, id, toBatchShipmentIds(body));
    return this.render(tenantId, id, 1);
  }

  private async render(tenantId: string, id: string, page: number, filter?: ObjectResultsFilter): Promise<ReturnType<typeof presentBatch>> {
    const details = await this.queries.get(tenantId, id, page, filter);
    return presentBatch(details.batch, { details, baseUrl: linkBase(this.config), filter });
  }
}
