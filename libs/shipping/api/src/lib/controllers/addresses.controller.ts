import { Body, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOperation } from '@nestjs/swagger';
import { TenantId } from '@shipbatch/platform/auth';
import { APP_CONFIG, type AppConfig, linkBase } from '@shipbatch/platform/config';
import { ReusableObjectsService } from '@shipbatch/shipping/application';
import { ADDRESS_SCHEMA, presentAddress, shippoPage, shippoPageSchema } from '@shipbatch/shipping/presentation';
import { AddressDto } from '../dto/address.dto';
import { SHIPPO_PAGE_400, ShippoPageQueryDto, shippoPageWindow } from '../dto/shippo-page-query.dto';
import { TenantController } from '../http/tenant-controller.decorator';
import { ApiAnswer, ApiErrors } from '../openapi/decorators';

/** Shippo's address objects of the tenant: created here, or inline in a batch. */
@TenantController('addresses')
export class AddressesController {
  constructor(
    private readonly objects: ReusableObjectsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @ApiAnswer(201, ADDRESS_SCHEMA, 'The address')
  @ApiErrors({ 400: 'a field is invalid (named in field_name)' }, { body: true, idempotent: true })
  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'createAddress',
    summary: 'Create an address',
    description: 'A Shippo address object of the tenant, to use by object_id in batch shipments. Completeness (street1, city, zip, country) is checked when a shipment using it is validated, not here: `is_complete` says whether it is.',
  })
  async create(@TenantId() tenantId: string, @Body() dto: AddressDto) {
    // `validate` is accepted and ignored (see AddressDto).
    const { validate: _ignored, ...address } = dto;
    return presentAddress(await this.objects.createAddress(tenantId, address));
  }

  @ApiAnswer(200, shippoPageSchema(ADDRESS_SCHEMA), 'One page of addresses, newest first')
  @ApiErrors(SHIPPO_PAGE_400)
  @Get()
  @ApiOperation({
    operationId: 'listAddresses',
    summary: "The tenant's addresses, newest first",
    description: "Addresses created here or inline in a batch, newest first; 5 a page by default (Shippo's own), at most 100.",
  })
  async list(@TenantId() tenantId: string, @Query() query: ShippoPageQueryDto) {
    const p = shippoPageWindow(query, 5);
    const found = await this.objects.listAddresses(tenantId, p);
    return shippoPage(found, { baseUrl: linkBase(this.config), path: '/addresses', ...p }, presentAddress);
  }

  @ApiAnswer(200, ADDRESS_SCHEMA, 'The address')
  @ApiErrors({ 404: 'no address of the tenant has this id' })
  @Get(':id')
  @ApiOperation({
    operationId: 'getAddress',
    summary: 'Get an address',
    description: 'One address of the tenant by its object_id.',
  })
  async get(@TenantId() tenantId: string, @Param('id') id: string) {
    return presentAddress(await this.objects.getAddress(tenantId, id));
  }
}
