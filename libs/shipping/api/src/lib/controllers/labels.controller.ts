import { Get, HttpCode, Inject, Param, Put, Query } from '@nestjs/common';
import { ApiOperation, ApiParam } from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig, linkBase } from '@shipbatch/platform/config';
import { TenantId } from '@shipbatch/platform/auth';
import { LabelQueriesService, VoidLabelUseCase } from '@shipbatch/shipping/application';
import { LABELS_DEFAULT_PAGE_SIZE, type LabelListQuery } from '@shipbatch/shipping/domain';
import { LABEL_LIST_SCHEMA, LABEL_SCHEMA, presentLabel, presentLabelList, presentVoid, VOID_RESULT_SCHEMA } from '@shipbatch/shipping/presentation';
import { LabelDownloadQueryDto } from '../dto/label-download-query.dto';
import { LABEL_FILTER_PARAMS, ListLabelsQueryDto } from '../dto/list-labels.dto';
import { TenantController } from '../http/tenant-controller.decorator';
import { ApiAnswer, ApiErrors } from '../openapi/decorators';

/** ShipStation v2-compatible labels: every label the tenant bought, from any provider. */
@TenantController('v2/labels', 'labels')
export class LabelsController {
  constructor(
    private readonly queries: LabelQueriesService,
    private readonly voidLabel: VoidLabelUseCase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiAnswer(200, LABEL_LIST_SCHEMA, '{labels, total, page, pages, links}; a page past the end is an empty page')
  @ApiErrors({ 400: 'a query parameter is invalid, unknown, or given twice (only refund_status may repeat); named in field_name' })
  @ApiOperation({
    operationId: 'listLabels',
    summary: 'List labels',
    description: "Every label the tenant bought, from any provider, in ShipStation's v2 shape, filtered and paged the way ShipStation lists labels. sort_dir selects which part of the data a page holds (the oldest or the newest labels); the labels of a page are always listed oldest to newest.",
  })
  async list(@TenantId() tenantId: string, @Query() dto: ListLabelsQueryDto) {
    const query: LabelListQuery = {
      filter: {
        status: dto.label_status,
        carrierAccountId: dto.carrier_id,
        serviceCode: dto.service_code,
        trackingNumber: dto.tracking_number,
        batchId: dto.batch_id,
        warehouseId: dto.warehouse_id,
        shipmentId: dto.shipment_id,
        rateId: dto.rate_id,
        refundStatuses: dto.refund_status,
        createdAtStart: dto.created_at_start ? new Date(dto.created_at_start) : undefined,
        createdAtEnd: dto.created_at_end ? new Date(dto.created_at_end) : undefined,
      },
      page: dto.page ?? 1,
      pageSize: dto.page_size ?? LABELS_DEFAULT_PAGE_SIZE,
      sortBy: dto.sort_by ?? 'created_at',
      sortDir: dto.sort_dir ?? 'desc',
    };
    const { labels, total } = await this.queries.list(tenantId, query);
    const params: Array<[string, string]> = [];
    for (const name of [...LABEL_FILTER_PARAMS, 'sort_dir', 'sort_by'] as const) {
      const value = dto[name];
      if (value !== undefined) params.push([name, Array.isArray(value) ? value.join(',') : String(value)]);
    }
    return presentLabelList(labels, {
      base: `${linkBase(this.config)}/v2/labels`,
      params,
      page: query.page,
      pageSize: query.pageSize,
      total,
    });
  }

  @Get('external_shipment_id/:external_shipment_id')
  @ApiParam({ name: 'external_shipment_id', description: 'the id the caller gave the shipment (unique per tenant)' })
  @ApiAnswer(200, LABEL_SCHEMA, 'The newest label bought for that shipment')
  @ApiErrors({ 400: 'label_download_type other than url, or a query parameter the route does not take', 404: 'no label of the tenant has this external_shipment_id' })
  @ApiOperation({
    operationId: 'getLabelByExternalShipmentId',
    summary: 'Get a label by external_shipment_id',
    description: 'The newest label bought for the shipment the caller gave this `external_shipment_id` (unique per tenant).',
  })
  async byExternalShipmentId(@TenantId() tenantId: string, @Param('external_shipment_id') id: string, @Query() _download: LabelDownloadQueryDto) {
    return presentLabel(await this.queries.getByExternalShipmentId(tenantId, id));
  }

  @Get(':label_id')
  @ApiParam({ name: 'label_id', description: 'the label id (the same as the Shippo transaction id)' })
  @ApiAnswer(200, LABEL_SCHEMA, 'The label, with every field of ShipStation’s label')
  @ApiErrors({ 400: 'label_download_type other than url, or a query parameter the route does not take', 404: 'no label of the tenant has this id' })
  @ApiOperation({
    operationId: 'getLabel',
    summary: 'Get a label by id',
    description: "One label with every field of ShipStation's label; its label_id is also its Shippo transaction id.",
  })
  async get(@TenantId() tenantId: string, @Param('label_id') id: string, @Query() _download: LabelDownloadQueryDto) {
    return presentLabel(await this.queries.get(tenantId, id));
  }

  @Put(':label_id/void')
  @HttpCode(200)
  @ApiParam({ name: 'label_id', description: 'the label id' })
  @ApiAnswer(200, VOID_RESULT_SCHEMA, 'approved: true when voided (again: harmless); approved: false with the provider’s refusal, nothing changed')
  @ApiErrors({ 404: 'no label of the tenant has this id' })
  @ApiOperation({
    operationId: 'voidLabel',
    summary: 'Void a label',
    description: 'Asks the provider that sold the label to void it; answers {approved, message}. Voiding a voided label again is harmless (approved: true).',
  })
  async void(@TenantId() tenantId: string, @Param('label_id') id: string) {
    return presentVoid(await this.voidLabel.execute(tenantId, id));
  }
}
