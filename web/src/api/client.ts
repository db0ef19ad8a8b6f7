// A small fetch wrapper: bearer token, JSON in and out, and errors turned into ApiError values
// whose message a person can act on.

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly body: unknown;
  readonly retryAfterSeconds: number | null;

  constructor(status: number, code: string, message: string, body: unknown = null,
              retryAfterSeconds: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.body = body;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export interface ApiClientOptions {
  getToken: () => string | null;
  /// Called when the server says the token is missing, bad or expired.
  onUnauthorized: () => void;
  fetchImpl?: typeof fetch;
  baseUrl?: string;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiClient {
  request<T>(method: Method, path: string, body?: unknown): Promise<T>;
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  put<T>(path: string, body?: unknown): Promise<T>;
  patch<T>(path: string, body?: unknown): Promise<T>;
  /// A body is optional: DELETE /api/tenant carries the password.
  del<T>(path: string, body?: unknown): Promise<T>;
  /// A download (an export): the response as a Blob, with the same token and errors.
  blob(path: string): Promise<Blob>;
}

const kStatusText: Record<number, string> = {
  400: 'the request was not accepted',
  403: 'this action is not allowed',
  404: 'it was not found',
  408: 'the server took too long',
  409: 'it conflicts with the current state',
  413: 'the request is too large',
  422: 'some input is not valid',
  429: 'too many requests; wait a moment and try again',
  500: 'the server had an internal error',
  502: 'the server could not reach an upstream service',
  503: 'the server is not ready yet; try again in a moment',
  504: 'the server timed out waiting for an upstream service',
};

/// A sentence for a failed response whose body carries no usable message.
export function fallbackMessage(status: number): string {
  const what = kStatusText[status] ?? (status >= 500 ? 'the server had an error' : 'the request failed');
  return `Request failed (${status}): ${what}.`;
}

function parseRetryAfter(value: string | null): number | null {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds);
  const at = Date.parse(value);
  if (Number.isNaN(at)) return null;
  return Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

function parseJson(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/// Builds the ApiError for a non-2xx response from its status, body text and headers.
export function errorFromResponse(status: number, text: string, retryAfter: string | null): ApiError {
  const body = parseJson(text);
  let code = status === 401 ? 'unauthorized' : `http_${status}`;
  let message = fallbackMessage(status);
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    if (typeof b.error === 'string' && b.error) code = b.error;
    if (typeof b.message === 'string' && b.message.trim()) message = b.message.trim();
  }
  return new ApiError(status, code, message, body, parseRetryAfter(retryAfter));
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetchImpl ?? ((input, init) => fetch(input, init));
  const base = options.baseUrl ?? '';

  async function request<T>(method: Method, path: string, body?: unknown): Promise<T> {
    const token = options.getToken();
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await doFetch(base + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, 'network_error',
        'Cannot reach tenantsync. Check your connection and try again.');
    }
    const text = await response.text();
    if (!response.ok) {
      const error = errorFromResponse(response.status, text, response.headers.get('Retry-After'));
      // A 401 with a token means the session ended; a 401 without one (a wrong password at
      // login) is an ordinary error the form shows.
      if (response.status === 401 && token) options.onUnauthorized();
      throw error;
    }
    return parseJson(text) as T;
  }

  return {
    request,
    get: (path) => request('GET', path),
    post: (path, body) => request('POST', path, body ?? {}),
    put: (path, body) => request('PUT', path, body ?? {}),
    patch: (path, body) => request('PATCH', path, body ?? {}),
    del: (path, body) => request('DELETE', path, body),
    blob: async (path) => {
      const token = options.getToken();
      let response: Response;
      try {
        response = await doFetch(base + path, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
      } catch {
        throw new ApiError(0, 'network_error', 'Cannot reach tenantsync. Check your connection and try again.');
      }
      if (!response.ok) {
        const error = errorFromResponse(response.status, await response.text(), response.headers.get('Retry-After'));
        if (response.status === 401 && token) options.onUnauthorized();
        throw error;
      }
      return response.blob();
    },
  };
}

/// Calls a sync endpoint whose failure bodies ({success:false, message, plan, ...}) are answers,
/// not just errors: returns the body of any response that has a `success` field.
export async function callSync<T extends { success: boolean }>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof ApiError && e.body && typeof e.body === 'object' && 'success' in e.body) {
      return e.body as T;
    }
    throw e;
  }
}
