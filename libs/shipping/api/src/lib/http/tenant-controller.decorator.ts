import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiKeyGuard } from '@shipbatch/platform/auth';
import { ApiTenantAuth } from '../openapi/decorators';

/**
 * A controller of tenant routes under `path`: ApiKeyGuard (401 without a valid key; the tenant
 * is then `@TenantId()`), the key forms it takes in the OpenAPI document, and its tag (by
 * default the path).
 */
export function TenantController(path: string, tag: string = path): ClassDecorator {
  // In the order stacked decorators apply (bottom up): @ApiTags @ApiTenantAuth @UseGuards @Controller.
  return applyDecorators(Controller(path), UseGuards(ApiKeyGuard), ApiTenantAuth(), ApiTags(tag));
}
