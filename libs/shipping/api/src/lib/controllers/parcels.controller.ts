import { Body, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { TenantId } from '@shipbatch/platform/auth';
import { APP_CONFIG, type AppConfig, linkBase } from '@shipbatch/platform/config';
import { ReusableObjectsService } from '@shipbatch/shipping/application';
import { PARCEL_SCHEMA, presentParcel, shippoPage, shippoPageSchema } from '@shipbatch/shipping/presentation';
import { ParcelDto } from '../dto/parcel.dto';
import { SHIPPO_PAGE_400, ShippoPageQueryDto, shippoPageWindow } from '../dto/shippo-page-query.dto';
import { TenantController } from '../http/tenant-controller.decorator';
import { ApiAnswer, ApiErrors } from '../openapi/decorators';

/** Shippo's parcel objects of the tenant: created here, or inline in a batch. */
@TenantController('parcels')
export class ParcelsController {
  constructor(
    private readonly objects: ReusableObjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiAnswer(201, PARCEL_SCHEMA, 'The parcel')
  @ApiErrors({ 400: 'a field is invalid (named in field_name)' }, { body: true, idempotent: true })
  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'createParcel',
    summary: 'Create a parcel',
    description: 'A Shippo parcel object of the tenant, to use by object_id in batch shipments; sizes and weight greater than 0, as decimal strings or numbers.',
  })
  async create(@TenantId() tenantId: string, @Body() dto: ParcelDto) {
    return presentParcel(await this.objects.createParcel(tenantId, { ...dto }));
  }

  @ApiAnswer(200, shippoPageSchema(PARCEL_SCHEMA), 'One page of parcels, newest first')
  @ApiErrors(SHIPPO_PAGE_400)
  @Get()
  @ApiOperation({
    operationId: 'listParcels',
    summary: "The tenant's parcels, newest first",
    description: 'Parcels created here or inline in a batch, newest first; 25 a page by default, at most 100.',
  })
  async list(@TenantId() tenantId: string, @Query() query: ShippoPageQueryDto) {
    const p = shippoPageWindow(query, 25);
    const found = await this.objects.listParcels(tenantId, p);
    return shippoPage(found, { baseUrl: linkBase(this.config), path: '/parcels', ...p }, presentParcel);
  }

  @ApiAnswer(200, PARCEL_SCHEMA, 'The parcel')
  @ApiErrors({ 404: 'no parcel of the tenant has this id' })
  @Get(':id')
  @ApiOperation({
    operationId: 'getParcel',
    summary: 'Get a parcel',
    description: 'One parcel of the tenant by its object_id.',
  })
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentParcel(await this.objects.getParcel(tenantId, id));
  }
}
