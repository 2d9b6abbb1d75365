import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { ApiAnswer, ApiErrors } from '../openapi/decorators';
import { HEALTH_SCHEMA } from '../http/health.schema';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  @ApiOperation({ summary: 'Liveness and database reachability; needs no API key' })
  @ApiAnswer(200, HEALTH_SCHEMA, 'The service and its database answer')
  @ApiErrors({ 503: 'the database does not answer' }, { tenant: false })
  async health() {
    try {
      await this.dataSource.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException('database unavailable');
    }
    return { status: 'ok' };
  }
}
