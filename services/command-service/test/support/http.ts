import { TOKENS } from './service';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body (undefined when the body is not JSON). */
  readonly body: Record<string, unknown>;
}

export interface RequestOptions {
  /** `writer` by default; `null` sends no Authorization header. */
  readonly token?: keyof typeof TOKENS | null;
  readonly headers?: Record<string, string>;
  /** A JS value is sent as JSON; a string is sent as is (with the given or a JSON content type). */
  readonly body?: unknown;
  readonly rawBody?: string | Buffer;
  readonly signal?: AbortSignal;
}

/** A tiny fetch-based client for the service under test. */
export function apiClient(baseUrl: string) {
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<ApiResponse> => {
    const token = options.token === undefined ? 'writer' : options.token;
    const headers: Record<string, string> = { ...(token === null ? {} : { authorization: `Bearer ${TOKENS[token]}` }) };
    let body: string | Buffer | undefined;
    if (options.rawBody !== undefined) {
      body = options.rawBody;
    } else if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    Object.assign(headers, options.headers);
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const text = await response.text();
    let parsed: Record<string, unknown> = {};
    if (/json/.test(response.headers.get('content-type') ?? '')) {
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = {};
      }
    }
    return { status: response.status, headers: response.headers, text, body: parsed };
  };
  return {
    request,
    get: (path: string, options?: RequestOptions) => request('GET', path, { token: 'reader', ...options }),
    post: (path: string, body?: unknown, options?: RequestOptions) => request('POST', path, { ...options, body }),
    put: (path: string, body?: unknown, options?: RequestOptions) => request('PUT', path, { ...options, body }),
    patch: (path: string, body?: unknown, options?: RequestOptions) => request('PATCH', path, { ...options, body }),
    delete: (path: string, options?: RequestOptions) => request('DELETE', path, options),
  };
}

export type ApiClient = ReturnType<typeof apiClient>;

export const PROBLEM_BASE = 'https://scylla-es.dev/problems/';

/** Asserts an RFC 9457 answer with the given status (and slug), and returns its body. */
export function expectProblem(response: ApiResponse, status: number, slug?: string): Record<string, unknown> {
  if (response.status !== status || !/^application\/problem\+json/.test(response.headers.get('content-type') ?? '')) {
    throw new Error(`expected a ${status} problem, got ${response.status} ${response.headers.get('content-type')}: ${response.text}`);
  }
  expect(response.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
  expect(String(response.body.type)).toMatch(new RegExp(`^${PROBLEM_BASE}`));
  if (slug) expect(response.body.type).toBe(`${PROBLEM_BASE}${slug}`);
  expect(response.text).not.toMatch(/\n\s+at /);
  return response.body;
}
