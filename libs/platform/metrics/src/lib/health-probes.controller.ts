import { Controller, Get, Inject, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { READINESS } from './metrics.tokens';
import { liveAnswer, readyAnswer, acceptedRequestId } from './probe.answers';
import type { Readiness } from './readiness';

/** `GET /health/live` and `GET /health/ready` on the API's port; no API key (`GET /health` stays in the shipping API). */
@ApiExcludeController()
@Controller('health')
export class HealthProbesController {
  constructor(@Inject(READINESS) private readonly readiness: Readiness) {}

  @Get('live')
  live(@Res() res: Response): void {
    const { status, body } = liveAnswer();
    res.status(status).json(body);
  }

  @Get('ready')
  async ready(@Req() req: Request, @Res() res: Response): Promise<void> {
    // The request log's id (the caller's X-Request-ID only when it was accepted), as X-Request-Id says.
    const logId = (req as { id?: unknown }).id;
    const requestId = typeof logId === 'string' ? logId : acceptedRequestId(req.headers['x-request-id']);
    const { status, body } = readyAnswer(await this.readiness.check(), requestId);
    res.status(status).json(body);
  }
}
