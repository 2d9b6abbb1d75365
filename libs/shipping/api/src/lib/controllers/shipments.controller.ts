import { Get, Inject, Param, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { TenantId } from '@shipbatch/platform/auth';
import { APP_CONFIG, type AppConfig, linkBase } from '@shipbatch/platform/config';
import { ReusableObjectsService } from '@shipbatch/shipping/application';
import { presentShipment, SHIPMENT_SCHEMA, shippoPage, shippoPageSchema } from '@shipbatch/shipping/presentation';
import { SHIPPO_PAGE_400, ShippoPageQueryDto, shippoPageWindow } from '../dto/shippo-page-query.dto';
import { TenantController } from '../http/tenant-controller.decorator';
import { ApiAnswer, ApiErrors } from '../openapi/decorators';

/** Shippo's shipment objects: one per batch shipment that validated, read-only. */
@TenantController('shipments')
export class ShipmentsController {
  constructor(
    private readonly objects: ReusableObjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiAnswer(200, shippoPageSchema(SHIPMENT_SCHEMA), 'One page of shipments, newest first')
  @ApiErrors(SHIPPO_PAGE_400)
  @Get()
  @ApiOperation({
    operationId: 'listShipments',
    summary: "The tenant's shipments, newest first",
    description: 'One shipment per batch shipment that validated, newest first; 25 a page by default, at most 100.',
  })
  async list(@TenantId() tenantId: string, @Query() query: ShippoPageQueryDto) {
    const p = shippoPageWindow(query, 25);
    const found = await this.objects.listShipments(tenantId, p);
    return shippoPage(found, { baseUrl: linkBase(this.config), path: '/shipments', ...p }, presentShipment);
  }

  @ApiAnswer(200, SHIPMENT_SCHEMA, 'The shipment')
  @ApiErrors({ 404: 'no shipment of the tenant has this id' })
  @Get(':id')
  @ApiOperation({
    operationId: 'getShipment',
    summary: 'Get a shipment',
    description: "A shipment in Shippo's shape (a batch shipment's `shipment`), with its addresses and parcels as objects. Nothing is rated before purchase: `rates` is empty.",
  })
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentShipment(await this.objects.getShipment(tenantId, id));
  }
}
