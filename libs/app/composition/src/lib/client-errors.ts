import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';

/** Node's limit on a request's line and headers together (`--max-http-header-size`, 16 KB by default). */
const HEADER_LIMIT_KB = 16;

/**
 * Answers what Node's HTTP parser refuses before any route sees it in the API's error shape,
 * not as Node's bare status line: a URL or headers over the limit are a 431 `request_too_large`
 * (field `headers`), any other unreadable request a 400 `invalid_request`. The socket is
 * closed after the answer, as Node does; a reset or half-closed socket is just dropped.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: Error & { code?: string }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
    const requestId = randomUUID();
    const body = JSON.stringify({
      request_id: requestId,
      errors: [
        tooLarge
          ? { error_source: 'shipbatch', error_type: 'validation', error_code: 'request_too_large', message: `the URL and headers are larger than ${HEADER_LIMIT_KB} KB`, field_name: 'headers' }
          : { error_source: 'shipbatch', error_type: 'validation', error_code: 'invalid_request', message: 'the request is not valid HTTP/1.1' },
      ],
    });
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
