import type { Request } from 'express';
import type { Tenant, TenantsService } from './tenants.service';

/** One lookup a request: the request limits and ApiKeyGuard both ask, the database is asked once. */
const looked = new WeakMap<Request, { key: string; tenant: Promise<Tenant | null> }>();

/** The tenant `key` (the request's API key) belongs to, or null; looked up once per request. */
export function tenantOfRequest(req: Request, key: string, tenants: TenantsService): Promise<Tenant | null> {
  const seen = looked.get(req);
  if (seen && seen.key === key) return seen.tenant;
  const tenant = tenants.authenticate(key);
  looked.set(req, { key, tenant });
  return tenant;
}
