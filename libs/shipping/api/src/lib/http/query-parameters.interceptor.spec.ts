import { Controller, Get, Query } from '@nestjs/common';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import { of } from 'rxjs';
import { ApiError } from './api-error';
import { QueryParametersInterceptor } from './query-parameters.interceptor';
import { ListLabelsQueryDto } from '../dto/list-labels.dto';

@Controller('t')
class TestController {
  @Get('labels') labels(@Query() _q: ListLabelsQueryDto) {
    return 'ok';
  }
  @Get('file') file(@Query('expires') _e?: string, @Query('signature') _s?: string) {
    return 'ok';
  }
  @Get('plain') plain() {
    return 'ok';
  }
}

const interceptor = new QueryParametersInterceptor();
const next: CallHandler = { handle: () => of('ok') };

/** The error the interceptor refuses `url` with on `handler`, or undefined when it lets it through. */
function run(handler: keyof TestController, url: string): ApiError | undefined {
  const context = {
    getType: () => 'http',
    getClass: () => TestController,
    getHandler: () => TestController.prototype[handler],
    switchToHttp: () => ({ getRequest: () => ({ originalUrl: url, url }) }),
  } as unknown as ExecutionContext;
  try {
    interceptor.intercept(context, next);
    return undefined;
  } catch (error) {
    return error as ApiError;
  }
}

describe('QueryParametersInterceptor', () => {
  it("lets a route's own parameters through, once each, and its list parameters repeated", () => {
    expect(run('labels', '/v2/labels?page=1&page_size=25&refund_status=pending&refund_status=approved')).toBeUndefined();
    expect(run('file', '/files/x?expires=1&signature=s')).toBeUndefined();
    expect(run('plain', '/health')).toBeUndefined();
  });

  it('refuses a parameter the route does not take, naming it, on routes with a query DTO and without', () => {
    expect(run('labels', '/v2/labels?page=1&label_format=pdf')?.items[0]).toMatchObject({ error_code: 'unknown_parameter', field_name: 'label_format' });
    expect(run('file', '/files/x?expires=1&signature=s&download=1')?.items[0]).toMatchObject({ error_code: 'unknown_parameter', field_name: 'download' });
    const plain = run('plain', '/health?verbose=1');
    expect(plain?.getStatus()).toBe(400);
    expect(plain?.items[0]).toMatchObject({ error_code: 'unknown_parameter', field_name: 'verbose', message: expect.stringContaining('takes no query parameters') });
  });

  it('refuses a parameter given twice unless the route declares it a list', () => {
    expect(run('labels', '/v2/labels?page_size=1&page=2&page_size=2')?.items[0]).toMatchObject({ error_code: 'repeated_parameter', field_name: 'page_size' });
    expect(run('file', '/files/x?expires=1&expires=2')?.items[0]).toMatchObject({ error_code: 'repeated_parameter', field_name: 'expires' });
  });
});
