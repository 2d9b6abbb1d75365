import { type CanActivate, type ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request } from 'express';
import { tenantOfRequest } from './request-tenant';
import { TenantsService, type Tenant } from './tenants.service';

export interface AuthenticatedRequest extends Request {
  tenant: Tenant;
}

/** Reads the key from `Authorization: ShippoToken|Bearer <key>` or `API-Key: <key>`. */
export function extractApiKey(req: Request): string | undefined {
  const header = req.headers['api-key'];
  if (typeof header === 'string' && header.trim()) return header.trim();
  const auth = req.headers.authorization;
  const match = auth?.match(/^(?:ShippoToken|Bearer)\s+(\S+)\s*$/i);
  return match?.[1];
}

@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly tenants: TenantsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = extractApiKey(req);
    if (!key) {
      throw new UnauthorizedException(
        'an API key is required: Authorization: ShippoToken <key>, Authorization: Bearer <key> or API-Key: <key>',
      );
    }
    const tenant = await tenantOfRequest(req, key, this.tenants);
    if (!tenant) throw new UnauthorizedException('the API key is not valid');
    req.tenant = tenant;
    return true;
  }
}
