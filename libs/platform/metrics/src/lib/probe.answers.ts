import { randomUUID } from 'node:crypto';
import type { ReadinessReport } from './readiness';

export interface ProbeAnswer {
  status: number;
  body: unknown;
}

/** The caller's X-Request-ID when it is one the request log would take (1 to 128 of A-Z a-z 0-9 . _ : -), else undefined. */
export function acceptedRequestId(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' && /^[A-Za-z0-9._:-]{1,128}$/.test(header) ? header : undefined;
}

/** `GET /health/live`: the process is up and its event loop turns; nothing else is asked. */
export function liveAnswer(): ProbeAnswer {
  return { status: 200, body: { status: 'ok' } };
}

/**
 * `GET /health/ready`: 200 `{ status: 'ok', checks }`, or 503 in the API's error shape
 * (`request_id`, `errors[]` with `error_code: not_ready` and a message naming every failed
 * check), with the same `checks` beside it.
 */
export function readyAnswer(report: ReadinessReport, requestId: string = randomUUID()): ProbeAnswer {
  if (report.ready) return { status: 200, body: { status: 'ok', checks: report.checks } };
  const failed = Object.entries(report.checks).filter(([, r]) => r !== 'ok');
  return {
    status: 503,
    body: {
      request_id: requestId,
      errors: [
        {
          error_source: 'shipbatch',
          error_type: 'system',
          error_code: 'not_ready',
          message: `not ready: ${failed.map(([name, r]) => `${name}: ${r}`).join('; ')}`,
        },
      ],
      checks: report.checks,
    },
  };
}
