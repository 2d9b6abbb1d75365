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
import { ApiExcludeController } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { Request } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@shipbatch/platform/config';
import { TenantsService } from './tenants.service';

export class CreateTenantDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;
}

/** Operator routes; they exist only when ADMIN_TOKEN is set (404 otherwise). */
@ApiExcludeController()
@Controller('admin/tenants')
export class AdminController {
  constructor(
    private readonly tenants: TenantsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @HttpCode(201)
  async create(@Req() req: Request, @Body() body: CreateTenantDto) {
    this.authorize(req);
    const { tenant, apiKey } = await this.tenants.create(body.name);
    return { tenant_id: tenant.id, name: tenant.name, api_key: apiKey };
  }

  @Post(':tenantId/api_keys')
  @HttpCode(201)
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
