import { Body, Controller, HttpCode, NotFoundException, Post, Req, UnauthorizedException } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiSecurity, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { LocalControl } from './local-control';
import { ReplaceKeyDto } from './replace-key.dto';
import { TenantsService } from './tenants.service';

/** The error shape every answer uses (published by the shipping API's schemas). */
const ERROR = { $ref: '#/components/schemas/Error' };

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * Routes for commands on the same machine (`npm run demo-key`), embedded mode only. They answer
 * 404 unless the connection comes from loopback, and 401 without the token of
 * DATA_DIR/service.json.
 */
@ApiTags('local')
@ApiSecurity('LocalToken')
@Controller('local')
export class LocalKeysController {
  constructor(
    private readonly tenants: TenantsService,
    private readonly control: LocalControl,
  ) {}

  /** Revokes every key of the tenant and answers one new key. */
  @Post('api_keys')
  @HttpCode(201)
  @ApiResponse({
    status: 201,
    description: 'The new API key; the old ones no longer authenticate',
    schema: {
      type: 'object',
      required: ['tenant_id', 'name', 'api_key', 'revoked'],
      properties: {
        tenant_id: { type: 'string' },
        name: { type: 'string' },
        api_key: { type: 'string', description: 'shown this once; stored hashed' },
        revoked: { type: 'integer', description: 'how many keys were revoked' },
      },
    },
  })
  @ApiResponse({ status: 400, description: 'tenant is not a non-empty string of at most 200 characters; or the body is not valid JSON', schema: ERROR })
  @ApiResponse({ status: 401, description: "Authorization: Bearer <DATA_DIR/service.json's token> is missing or wrong", schema: ERROR })
  @ApiResponse({ status: 404, description: 'Not embedded mode or not a loopback connection (the route does not exist), or no such tenant', schema: ERROR })
  @ApiResponse({ status: 409, description: 'Several tenants have that name: name one by id', schema: ERROR })
  @ApiResponse({ status: 413, description: 'The body is larger than 32 MB', schema: ERROR })
  @ApiResponse({ status: 500, description: 'An unexpected error (logged with the request id)', schema: ERROR })
  @ApiOperation({
    operationId: 'replaceLocalApiKeys',
    summary: "Replace a tenant's API keys (embedded mode, this machine only)",
    description: 'What `npm run demo-key` calls: revokes every key of the tenant and answers one new key (shown this once). Only over loopback, with `Authorization: Bearer <token>` where the token is the one the running service wrote to DATA_DIR/service.json.',
  })
  async replace(@Req() req: Request, @Body() body: ReplaceKeyDto) {
    if (!this.control.enabled || !LOOPBACK.has(req.socket.remoteAddress ?? '')) throw new NotFoundException();
    const given = req.headers.authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? '';
    if (!this.control.accepts(given)) throw new UnauthorizedException(`the token of DATA_DIR/service.json is required`);
    const { tenant, apiKey, revoked } = await this.tenants.replaceKeys(body.tenant ?? 'demo');
    return { tenant_id: tenant.id, name: tenant.name, api_key: apiKey, revoked };
  }
}
