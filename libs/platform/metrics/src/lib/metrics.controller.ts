import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { MetricsRegistry } from './metrics.registry';

/** `GET /metrics` on the API's port: Prometheus' text format; no API key. */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  async text(@Res() res: Response): Promise<void> {
    const text = await this.metrics.text();
    // Prometheus' own Content-Type, unchanged (res.send would add a charset).
    res.status(200).setHeader('Content-Type', this.metrics.contentType);
    res.end(text);
  }
}
