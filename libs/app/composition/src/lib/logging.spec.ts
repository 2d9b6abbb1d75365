import { Writable } from 'node:stream';
import { ERROR_CODE_LOCAL as API_ERROR_CODE_LOCAL } from '@shipbatch/shipping/api';
import { createRootLogger, ERROR_CODE_LOCAL, scrubSecrets } from './logging';

/** A destination that keeps what was written; `isTTY` makes it look like a terminal. */
function sink(isTTY = false): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  if (isTTY) Object.assign(stream, { isTTY: true });
  return { stream, text: () => chunks.join('') };
}

// ESC, which starts every ANSI colour code.
const ESC = String.fromCharCode(27);
const KEY = `sb_${'A1b2-C3d4_'.repeat(4)}xyz`;
const WHSEC = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

describe('the root logger', () => {
  it('writes one JSON object a line, without colour codes, to a destination that is not a terminal', () => {
    const out = sink();
    const logger = createRootLogger({ level: 'info', name: 'api', stream: out.stream });
    logger.info({ context: 'Test' }, 'hello');
    logger.debug('not at info');
    const lines = out.text().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0])).toMatchObject({ level: 30, name: 'shipbatch-api', context: 'Test', msg: 'hello', time: expect.any(String) });
    expect(out.text()).not.toContain(ESC);
  });

  it('makes the object after the message (as nestjs-pino hands it over) fields of the line, the message unchanged', () => {
    const out = sink();
    const logger = createRootLogger({ level: 'info', name: 'worker', stream: out.stream });
    logger.info({ context: 'ValidateBatchUseCase' }, 'batch b1 validated: VALID', { batch_id: 'b1', tenant_id: 't1' });
    expect(JSON.parse(out.text())).toMatchObject({ context: 'ValidateBatchUseCase', msg: 'batch b1 validated: VALID', batch_id: 'b1', tenant_id: 't1' });
  });

  it('takes batch_id / batch_shipment_id from a message naming them when the line has no such field', () => {
    const out = sink();
    const logger = createRootLogger({ level: 'info', name: 'worker', stream: out.stream });
    const b = '0123456789abcdef0123456789abcdef';
    const s = 'fedcba9876543210fedcba9876543210';
    logger.info({ context: 'MergeLabelFilesUseCase' }, `batch ${b} purchased`);
    logger.warn(`shipment ${s}: provider mock cannot download`);
    logger.info({ context: 'X' }, `batch ${b}: shipment ${s}`, { batch_id: 'explicit' });
    const [first, second, third] = out.text().trim().split('\n').map((line) => JSON.parse(line));
    expect(first).toMatchObject({ context: 'MergeLabelFilesUseCase', batch_id: b, msg: `batch ${b} purchased` });
    expect(second).toMatchObject({ batch_shipment_id: s });
    expect(third).toMatchObject({ batch_id: 'explicit', batch_shipment_id: s });
  });

  it('redacts headers, keys, secrets and carrier account parameters, and scrubs them out of messages and errors', () => {
    const out = sink();
    const logger = createRootLogger({ level: 'info', name: 'api', stream: out.stream });
    logger.info({ req: { headers: { authorization: `ShippoToken ${KEY}`, 'api-key': KEY, cookie: 'session=1' } } }, 'a raw request');
    logger.info({ account: { id: 'acct', parameters: { api_key: 'ss-secret-1', api_token: 'shippo_live_abc123' } }, api_key: KEY, secret: WHSEC }, 'objects');
    logger.info(`created tenant 'demo'; its API key (shown once): ${KEY}`);
    logger.info(`try: curl -H "Authorization: ShippoToken ${KEY}" -H "Authorization: Bearer opaque-token-1" /files/a.pdf?expires=1&signature=sig-value-1`);
    logger.error({ err: Object.assign(new Error(`call with ${WHSEC} failed`), { config: { headers: { Authorization: 'Basic cred-1' } } }) }, 'webhook');
    const text = out.text();
    for (const secret of [KEY, WHSEC, 'ss-secret-1', 'shippo_live_abc123', 'session=1', 'opaque-token-1', 'sig-value-1', 'cred-1']) {
      expect(text).not.toContain(secret);
    }
    const lines = text.trim().split('\n').map((line) => JSON.parse(line));
    expect(lines[0].req.headers).toEqual({ authorization: '[Redacted]', 'api-key': '[Redacted]', cookie: '[Redacted]' });
    expect(lines[1]).toMatchObject({ account: { id: 'acct', parameters: '[Redacted]' }, api_key: '[Redacted]', secret: '[Redacted]' });
    expect(lines[2].msg).toBe("created tenant 'demo'; its API key (shown once): sb_[Redacted]");
    expect(lines[4].err).toEqual({ type: 'Error', message: 'call with whsec_[Redacted] failed', stack: expect.stringContaining('whsec_[Redacted]') });
  });

  it("writes Nest's route-mapping lines at debug, its other lines and warnings as they are", () => {
    const out = sink();
    const logger = createRootLogger({ level: 'debug', name: 'api', stream: out.stream });
    // As nestjs-pino hands over Logger.log('...', 'RouterExplorer') and friends.
    logger.info({ context: 'RoutesResolver' }, 'BatchesController {/batches}:');
    logger.info({ context: 'RouterExplorer' }, 'Mapped {/batches, POST} route');
    logger.warn({ context: 'RouterExplorer' }, 'a warning stays a warning');
    logger.info({ context: 'NestApplication' }, 'Nest application successfully started');
    const lines = out.text().trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.level, l.context, l.msg])).toEqual([
      [20, 'RoutesResolver', 'BatchesController {/batches}:'],
      [20, 'RouterExplorer', 'Mapped {/batches, POST} route'],
      [40, 'RouterExplorer', 'a warning stays a warning'],
      [30, 'NestApplication', 'Nest application successfully started'],
    ]);
    const quiet = sink();
    const atInfo = createRootLogger({ level: 'info', name: 'api', stream: quiet.stream });
    atInfo.info({ context: 'RouterExplorer' }, 'Mapped {/batches, POST} route');
    expect(quiet.text()).toBe('');
  });

  it('writes readable lines to a terminal', () => {
    const out = sink(true);
    const logger = createRootLogger({ level: 'info', name: 'api', stream: out.stream });
    logger.info({ context: 'Main', batch_id: 'b1' }, 'listening');
    expect(() => JSON.parse(out.text())).toThrow();
    expect(out.text().replace(new RegExp(`${ESC}\\[[0-9;]*m`, 'g'), '')).toMatch(/INFO.*\[Main\] listening.*"batch_id":"b1"/);
  });
});

describe('scrubSecrets', () => {
  it('keeps ids and ordinary text', () => {
    const text = 'batch 0123456789abcdef0123456789abcdef validated: VALID (tenant sb-demo, Idempotency-Key k-1)';
    expect(scrubSecrets(text)).toBe(text);
  });
});

describe("the request log's error code", () => {
  it('is read where the API exception filter leaves it', () => {
    expect(ERROR_CODE_LOCAL).toBe(API_ERROR_CODE_LOCAL);
  });
});
