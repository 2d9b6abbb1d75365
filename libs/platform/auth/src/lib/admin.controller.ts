import {
  Body,
  Controller,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiOperation, ApiParam, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { CreateTenantDto } from './create-tenant.dto';
import { TenantsService } from './tenants.service';

/** The error shape every answer uses (published by the shipping API's schemas). */
const ERROR = { $ref: '#/components/schemas/Error' };
const UNAUTHORIZED = { status: 401, description: 'Authorization: Bearer <ADMIN_TOKEN> is missing or wrong', schema: ERROR };
const DISABLED = { status: 404, description: 'ADMIN_TOKEN is not set: the admin routes do not exist', schema: ERROR };
const FAILED = { status: 500, description: 'An unexpected error (logged with the request id)', schema: ERROR };

/** Operator routes; they exist only when ADMIN_TOKEN is set (404 otherwise). */
@ApiTags('admin')
@ApiSecurity('AdminToken')
@Controller('admin/tenants')
export class AdminController {
  constructor(
    private readonly tenants: TenantsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiResponse({
    status: 201,
    description: 'The tenant and its API key',
    schema: {
      type: 'object',
      required: ['tenant_id', 'name', 'api_key'],
      properties: { tenant_id: { type: 'string' }, name: { type: 'string' }, api_key: { type: 'string', description: 'shown this once; stored hashed' } },
    },
  })
  @ApiResponse({ status: 400, description: 'name is missing, not a string or over 200 characters; or the body is not valid JSON', schema: ERROR })
  @ApiResponse(UNAUTHORIZED)
  @ApiResponse(DISABLED)
  @ApiResponse({ status: 413, description: 'The body is larger than 32 MB', schema: ERROR })
  @ApiResponse(FAILED)
  @ApiOperation({
    operationId: 'createTenant',
    summary: 'Make a tenant and its first API key',
    description: 'The key is shown this once and stored hashed. Operators only (`Authorization: Bearer <ADMIN_TOKEN>`); the route exists only when ADMIN_TOKEN is set.',
  })
  async create(@Req() req: Request, @Body() body: CreateTenantDto) {
    this.authorize(req);
    const { tenant, apiKey } = await this.tenants.create(body.name);
    return { tenant_id: tenant.id, name: tenant.name, api_key: apiKey };
  }

  @Post(':tenantId/api_keys')
  @HttpCode(201)
  @ApiParam({ name: 'tenantId', description: 'the tenant_id the tenant was made with' })
  @ApiResponse({
    status: 201,
    description: 'The new API key',
    schema: {
      type: 'object',
      required: ['tenant_id', 'api_key'],
      properties: { tenant_id: { type: 'string' }, api_key: { type: 'string', description: 'shown this once; stored hashed' } },
    },
  })
  @ApiResponse(UNAUTHORIZED)
  @ApiResponse({ status: 404, description: 'ADMIN_TOKEN is not set (the admin routes do not exist), or there is no such tenant', schema: ERROR })
  @ApiResponse(FAILED)
  @ApiOperation({
    operationId: 'issueTenantApiKey',
    summary: 'Issue another API key for a tenant',
    description: "Shown this once; the tenant's other keys keep working. Operators only; the route exists only when ADMIN_TOKEN is set.",
  })
  async issueKey(@Req() req: Request, @Param('tenantId') tenantId: string) {
    this.authorize(req);
    return { tenant_id: tenantId, api_key: await this.tenants.issueKey(tenantId) };
  }

  private authorize(req: Request): void {
    const token = this.config.adminToken;
    if (!token) throw new NotFoundException();
    const given = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? '';
    const a = Buffer.from(given);
    const b = Buffer.from(token);
    if (a.length !== b.length || !timingSafeEqual(a, b)) throw new UnauthorizedException('admin token required');
  }
}
