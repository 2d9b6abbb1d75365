import type { FuzzCase } from './fuzz-cases';

/** The credentials the fuzzer sends, chosen per route by the security schemes it declares. */
export interface FuzzAuth {
  tenantKey: string;
  adminToken?: string;
  localToken?: string;
}

export interface FuzzProblem {
  case: FuzzCase;
  status: number;
  /** The answer's start, or the error that stopped the request. */
  detail: string;
}

export interface FuzzReport {
  sent: number;
  byStatus: Record<number, number>;
  /** Answers 500 and above, and requests that got no answer. */
  serverErrors: FuzzProblem[];
  /** 4xx answers not in the error shape `{request_id, errors: [{error_source, error_type, error_code, message, field_name?}]}`. */
  badShape: FuzzProblem[];
  /** 400 answers that name no field or parameter (`field_name`). */
  unnamed400: FuzzProblem[];
  /** What the optional `check` threw (e.g. an answer /docs-json does not describe). */
  checkFailures: FuzzProblem[];
  elapsedMs: number;
}

export interface RunOptions {
  baseUrl: string;
  auth: FuzzAuth;
  /** Requests in flight at once; default 1 (the order, and so the run, is then the same every time). */
  concurrency?: number;
  timeoutMs?: number;
  /** Called with every answer (e.g. the e2e suite's check against /docs-json); what it throws is recorded. */
  check?: (method: string, url: string, status: number, body: unknown, contentType: string | null) => Promise<void>;
  /** Called after every answer (progress). */
  onAnswer?: (done: number, total: number) => void;
}

const ERROR_TYPES = new Set(['validation', 'security', 'business_rules', 'system']);

function headersFor(c: FuzzCase, auth: FuzzAuth): Record<string, string> {
  const headers: Record<string, string> = {};
  if (c.contentType !== undefined) headers['Content-Type'] = c.contentType;
  if (c.security.includes('ShippoToken')) headers['Authorization'] = `ShippoToken ${auth.tenantKey}`;
  else if (c.security.includes('AdminToken') && auth.adminToken) headers['Authorization'] = `Bearer ${auth.adminToken}`;
  else if (c.security.includes('LocalToken') && auth.localToken) headers['Authorization'] = `Bearer ${auth.localToken}`;
  return headers;
}

/** Why `body` is not the error shape, or undefined when it is. */
export function errorShapeProblem(body: unknown): string | undefined {
  const b = body as { request_id?: unknown; errors?: unknown } | undefined;
  if (!b || typeof b !== 'object') return 'not a JSON object';
  if (typeof b.request_id !== 'string') return 'no request_id';
  if (!Array.isArray(b.errors) || b.errors.length === 0) return 'no errors';
  for (const e of b.errors as Array<Record<string, unknown>>) {
    if (e?.['error_source'] !== 'shipbatch') return 'error_source is not shipbatch';
    if (!ERROR_TYPES.has(e['error_type'] as string)) return `error_type ${String(e['error_type'])}`;
    if (typeof e['error_code'] !== 'string' || typeof e['message'] !== 'string') return 'no error_code or message';
    if (e['field_name'] !== undefined && typeof e['field_name'] !== 'string') return 'field_name is not a string';
  }
  return undefined;
}

const preview = (text: string) => (text.length > 300 ? `${text.slice(0, 300)}...` : text);

/** Sends every case and tallies the answers. */
export async function runFuzz(cases: FuzzCase[], options: RunOptions): Promise<FuzzReport> {
  const report: FuzzReport = { sent: 0, byStatus: {}, serverErrors: [], badShape: [], unnamed400: [], checkFailures: [], elapsedMs: 0 };
  const started = Date.now();
  let next = 0;
  const one = async (c: FuzzCase) => {
    const url = `${options.baseUrl}${c.url}`;
    let status = 0;
    let text = '';
    let contentType: string | null = null;
    try {
      const res = await fetch(url, {
        method: c.method,
        headers: headersFor(c, options.auth),
        body: c.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
      });
      status = res.status;
      contentType = res.headers.get('content-type');
      text = await res.text();
    } catch (e) {
      text = `no answer: ${(e as Error).message}`;
    }
    report.sent++;
    report.byStatus[status] = (report.byStatus[status] ?? 0) + 1;
    let body: unknown = text === '' ? undefined : text;
    if (contentType?.includes('json')) {
      try {
        body = JSON.parse(text);
      } catch {
        /* keep the text */
      }
    }
    if (status === 0 || status >= 500) report.serverErrors.push({ case: c, status, detail: preview(text) });
    else if (status >= 400) {
      const problem = errorShapeProblem(body);
      if (problem) report.badShape.push({ case: c, status, detail: `${problem}: ${preview(text)}` });
      else if (status === 400 && !(body as { errors: Array<{ field_name?: string }> }).errors.some((e) => e.field_name)) {
        report.unnamed400.push({ case: c, status, detail: preview(text) });
      }
    }
    if (options.check && status !== 0) {
      try {
        await options.check(c.method, url, status, body, contentType);
      } catch (e) {
        report.checkFailures.push({ case: c, status, detail: preview((e as Error).message) });
      }
    }
    options.onAnswer?.(report.sent, cases.length);
  };
  const lanes = Array.from({ length: Math.max(1, options.concurrency ?? 1) }, async () => {
    while (next < cases.length) await one(cases[next++]);
  });
  await Promise.all(lanes);
  report.elapsedMs = Date.now() - started;
  return report;
}

/** The figures of a run as lines of text (for the bench script and a failing test's message). */
export function summarize(report: FuzzReport, examples = 10): string[] {
  const statuses = Object.entries(report.byStatus)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([s, n]) => `${s === '0' ? 'no answer' : s}: ${n}`)
    .join(', ');
  const lines = [
    `requests sent          ${report.sent} in ${(report.elapsedMs / 1000).toFixed(1)} s`,
    `answers by status      ${statuses}`,
    `5xx or no answer       ${report.serverErrors.length}`,
    `4xx not error-shaped   ${report.badShape.length}`,
    `400 naming no field    ${report.unnamed400.length}`,
    `undocumented answers   ${report.checkFailures.length}`,
  ];
  const list = (title: string, problems: FuzzProblem[]) => {
    if (problems.length === 0) return;
    const kinds = new Map<string, FuzzProblem[]>();
    for (const p of problems) {
      const kind = `${p.status === 0 ? 'no answer' : p.status} ${kindOf(p.case.label)}`;
      kinds.set(kind, [...(kinds.get(kind) ?? []), p]);
    }
    lines.push(`${title}: ${problems.length} in ${kinds.size} kinds${kinds.size > examples ? ` (the first ${examples})` : ''}:`);
    for (const [kind, ps] of [...kinds].slice(0, examples)) {
      const routes = new Set(ps.map((p) => p.case.operation)).size;
      lines.push(`  ${kind}: ${ps.length} requests, ${routes} routes; e.g. ${ps[0].case.operation} ${ps[0].case.label}`);
      lines.push(`      ${ps[0].detail.replace(/\n/g, '\n      ')}`);
    }
  };
  list('5xx', report.serverErrors);
  list('not error-shaped', report.badShape);
  list('400 naming no field', report.unnamed400);
  list('undocumented', report.checkFailures);
  return lines;
}

/** What kind of change a case made, whatever the route and field: `body field = NUL`, `path param = %00`. */
export function kindOf(label: string): string {
  const field = /^(body|path|query) \S+ (= .*|removed|\+ .*)$/.exec(label);
  if (field) return `${field[1]} ${field[1] === 'body' ? 'field' : 'param'} ${field[2]}`;
  return label.startsWith('random body') ? 'random body' : label;
}
