import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ApiAnswer, ApiErrors, ApiPublic } from '../openapi/decorators';
import { HEALTH_SCHEMA } from '../http/health.schema';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiPublic()
  @ApiAnswer(200, HEALTH_SCHEMA, 'The service and its database answer')
  @ApiErrors({ 503: 'the database does not answer' }, { tenant: false })
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'Liveness and database reachability',
    description: 'Answers 200 {status: ok} when the service and its database answer, 503 otherwise; needs no API key.',
  })
  async health() {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException('database unavailable');
    }
    return { status: 'ok' };
  }
}
