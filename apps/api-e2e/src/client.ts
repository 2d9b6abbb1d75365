import { checkAnswer } from './openapi-check';

/** A minimal HTTP client over fetch: what any tenant's code would do. */
export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * Every answer is checked against the service's OpenAPI document (`/docs-json`, see
 * openapi-check.ts) before it is returned: an answer the document does not describe fails the
 * test that received it.
 */
export class Client {
  constructor(
    readonly baseUrl: string,
    private readonly key?: string,
    private readonly scheme: 'ShippoToken' | 'Bearer' | 'API-Key' = 'ShippoToken',
  ) {}

  withKey(key: string, scheme: 'ShippoToken' | 'Bearer' | 'API-Key' = 'ShippoToken'): Client {
    return new Client(this.baseUrl, key, scheme);
  }

  async request<T = any>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.key) {
      if (this.scheme === 'API-Key') headers['API-Key'] = this.key;
      else headers['Authorization'] = `${this.scheme} ${this.key}`;
    }
    let payload: string | undefined;
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
    const res = await fetch(url, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON: keep the text */
    }
    await checkAnswer(method, url, res.status, parsed, { contentType: res.headers.get('content-type'), baseUrl: this.baseUrl });
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown, headers?: Record<string, string>) {
    return this.request<T>('POST', path, body, headers);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
}
