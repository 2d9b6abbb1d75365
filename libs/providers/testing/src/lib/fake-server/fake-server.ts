import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { FaultInjector } from './fault-injector';
import type { FakeAnswer, FakeExtraRoute, FakeRequest, FakeServer, FakeServerOptions, Fault, RecordedRequest } from './fake-server.types';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function defaultRejection(kind: string, problems: string[]): FakeAnswer {
  const status = kind === 'invalid_request' ? 400 : kind === 'unknown_route' ? 404 : 405;
  return { status, body: { message: `${kind.replace(/_/g, ' ')}: ${problems.join('; ')}`, problems } };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function lowerHeaders(req: IncomingMessage): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : v]));
}

function queryRecord(search: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(search.keys())) {
    const all = search.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

function matchExtra(routes: FakeExtraRoute[], method: string, path: string): { route: FakeExtraRoute; params: Record<string, string> } | undefined {
  for (const route of routes) {
    if (route.method.toUpperCase() !== method) continue;
    if (typeof route.path === 'string') {
      if (route.path === path) return { route, params: {} };
    } else {
      const m = route.path.exec(path);
      if (m) return { route, params: { ...(m.groups ?? {}) } };
    }
  }
  return undefined;
}

/**
 * Starts a real HTTP server on 127.0.0.1 (a free port) that speaks an OpenAPI document: every
 * request is matched to an operation and checked (path and query parameters coerced to their
 * declared types, the JSON body validated) before its handler runs; every answer is checked
 * against the operation's response for its status. What does not conform is answered 400
 * (requests) and recorded in `violations()`. Faults can be injected per request.
 */
export async function startFakeServer(options: FakeServerOptions): Promise<FakeServer> {
  const { document } = options;
  const recorded: RecordedRequest[] = [];
  const violations: string[] = [];
  const faults = new FaultInjector();
  const held = new Set<Socket>();
  const reject = options.rejection ?? defaultRejection;
  const isKnownDeviation = (side: 'request' | 'answer', operationId: string | undefined, problem: string): boolean =>
    (options.knownDeviations ?? []).some((d) => (d.in ?? 'answer') === side && (!d.operationId || d.operationId === operationId) && d.problem.test(problem));

  const toSpecPath = (path: string): string | undefined => {
    if (!options.pathPrefix) return path;
    const { spec, served } = options.pathPrefix;
    if (path !== served && !path.startsWith(`${served}/`)) return undefined;
    return spec + path.slice(served.length);
  };

  const write = async (res: ServerResponse, answer: FakeAnswer, record: RecordedRequest, lost: boolean): Promise<void> => {
    if (options.latencyMs) await sleep(options.latencyMs);
    if (lost) {
      res.socket?.destroy();
      return;
    }
    record.status = answer.status;
    const headers: Record<string, string> = { ...(answer.headers ?? {}) };
    let payload: Buffer | undefined;
    if (answer.raw) {
      headers['content-type'] ??= answer.raw.contentType;
      payload = Buffer.from(answer.raw.bytes);
    } else if (answer.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      payload = Buffer.from(JSON.stringify(answer.body));
    }
    if (payload) headers['content-length'] = String(payload.length);
    res.writeHead(answer.status, headers);
    res.end(payload);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const headers = lowerHeaders(req);
    const bytes = await readBody(req);
    const text = bytes.length ? bytes.toString('utf8') : undefined;
    let body: unknown = undefined;
    let bodyIsJson = true;
    if (text !== undefined) {
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
        bodyIsJson = false;
      }
    }
    const record: RecordedRequest = { method, path, query: queryRecord(url.searchParams), body, headers, at };
    recorded.push(record);
    const where = `${method} ${path}`;

    const extra = matchExtra(options.extraRoutes ?? [], method, path);
    const specPath = extra ? undefined : toSpecPath(path);
    const route = specPath === undefined ? undefined : document.match(method, specPath);
    const operationId = extra ? extra.route.id : route && 'operation' in route ? route.operation.operationId : undefined;
    record.operationId = operationId;

    const fault: Fault | undefined = faults.take(method, path, operationId);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'latency') await sleep(fault.ms);
    if (fault?.kind === 'status') return write(res, { status: fault.status, body: fault.body, headers: fault.headers }, record, false);
    if (fault?.kind === 'timeout') {
      if (req.socket) {
        held.add(req.socket);
        req.socket.once('close', () => held.delete(req.socket));
      }
      return;
    }
    if (fault?.kind === 'reset') {
      req.socket?.destroy();
      return;
    }
    const lost = fault?.kind === 'lost_answer';

    if (!extra && (!route || 'problem' in route)) {
      const kind = route && 'problem' in route && route.problem === 'method_not_allowed' ? 'method_not_allowed' : 'unknown_route';
      const problem =
        kind === 'unknown_route'
          ? `no operation of the document serves ${path}${options.document.operations.length === 0 ? ` (${options.document.source})` : ''}`
          : `${path} does not allow ${method} (allowed: ${(route as { allowed?: string[] }).allowed?.join(', ')})`;
      violations.push(`${where}: ${kind.replace(/_/g, ' ')}: ${problem}`);
      return write(res, reject(kind, [problem], { method, path }), record, lost);
    }

    const fakeReq: FakeRequest = { method, path, params: extra ? extra.params : (route as { pathParams: Record<string, string> }).pathParams, query: { ...record.query }, headers, body, operationId: operationId as string };
    const answerOf = async (fn: () => FakeAnswer | undefined | Promise<FakeAnswer | undefined>): Promise<FakeAnswer | undefined> => {
      try {
        return await fn();
      } catch (err) {
        violations.push(`${where} (${operationId}): the handler threw: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
        return { status: 500, body: { message: `fake handler error: ${err instanceof Error ? err.message : String(err)}` } };
      }
    };

    let answer = options.before ? await answerOf(() => options.before?.(fakeReq)) : undefined;
    if (!answer && !extra) {
      const found: string[] = [];
      if (!bodyIsJson) found.push('body: is not valid JSON');
      const params = document.checkParameters(operationId as string, { path: fakeReq.params as Record<string, string>, query: url.searchParams, headers });
      found.push(...params.problems);
      if (bodyIsJson) found.push(...document.validateRequestBody(operationId as string, body, headers['content-type'] ?? 'application/json'));
      const problems = found.filter((p) => !isKnownDeviation('request', operationId, p));
      if (problems.length) {
        violations.push(`${where} (${operationId}): request does not conform: ${problems.join('; ')}`);
        return write(res, reject('invalid_request', problems, { method, path }), record, lost);
      }
      fakeReq.params = params.path;
      fakeReq.query = { ...fakeReq.query, ...params.query };
    }
    let ownAnswer = false;
    if (!answer) {
      const handler = extra ? extra.route.handler : options.handlers[operationId as string];
      if (!handler) {
        violations.push(`${where}: the fake does not implement operation '${operationId}'`);
        answer = { status: 501, body: { message: `the fake does not implement ${operationId}` } };
        ownAnswer = true;
      } else {
        answer = (await answerOf(() => handler(fakeReq))) as FakeAnswer;
      }
    }
    if (!extra && !answer.raw && !ownAnswer) {
      const problems = document
        .validateResponse(operationId as string, answer.status, answer.body, { fallbackSchema: options.errorSchema })
        .filter((p) => !isKnownDeviation('answer', operationId, p));
      if (problems.length) violations.push(`${where} (${operationId}): answer does not conform: ${problems.join('; ')}`);
    }
    return write(res, answer, record, lost);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      violations.push(`${req.method} ${req.url}: the fake server failed: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    document,
    requests: () => recorded.slice(),
    violations: () => violations.slice(),
    faults,
    close: async () => {
      for (const socket of held) socket.destroy();
      held.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
