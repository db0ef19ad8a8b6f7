import { describe, expect, it, vi } from 'vitest';
import { ApiError, callSync, createApiClient, errorFromResponse, fallbackMessage } from './client';

function respond(status: number, body: string, headers: Record<string, string> = {}) {
  // A 204 may not carry a body at all.
  return vi.fn(async () => new Response(status === 204 ? null : body, { status, headers }));
}

function client(fetchImpl: typeof fetch, token: string | null = 'tok') {
  const onUnauthorized = vi.fn();
  const api = createApiClient({ getToken: () => token, onUnauthorized, fetchImpl });
  return { api, onUnauthorized };
}

describe('createApiClient', () => {
  it('sends the bearer token and a JSON body, and returns the parsed answer', async () => {
    const f = respond(200, '{"ok":true}');
    const { api } = client(f as unknown as typeof fetch);
    await expect(api.put('/api/tenant/settings', { default_region: 'GB' })).resolves.toEqual({ ok: true });
    const [url, init] = f.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/api/tenant/settings');
    expect(init.method).toBe('PUT');
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(init.body).toBe('{"default_region":"GB"}');
  });

  it('returns null for an empty 204', async () => {
    const { api } = client(respond(204, '') as unknown as typeof fetch);
    await expect(api.post('/api/auth/logout')).resolves.toBeNull();
  });

  it('turns an error body into an ApiError with its code and message', async () => {
    const f = respond(422, '{"error":"key_rejected","message":"Invalid API key for this account"}');
    const { api, onUnauthorized } = client(f as unknown as typeof fetch);
    const e = (await api.put('/api/tenant/settings', {}).catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(422);
    expect(e.code).toBe('key_rejected');
    expect(e.message).toBe('Invalid API key for this account');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('ends the session on a 401 when a token was sent', async () => {
    const { api, onUnauthorized } = client(respond(401, '{"error":"unauthorized","message":"Token expired"}') as unknown as typeof fetch);
    await expect(api.get('/api/tenant/summary')).rejects.toMatchObject({ code: 'unauthorized' });
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('does not end a session on a wrong password (no token yet)', async () => {
    const f = respond(401, '{"error":"invalid_credentials","message":"Wrong e-mail or password."}');
    const { api, onUnauthorized } = client(f as unknown as typeof fetch, null);
    await expect(api.post('/api/auth/login', {})).rejects.toMatchObject({
      code: 'invalid_credentials', message: 'Wrong e-mail or password.',
    });
    expect(onUnauthorized).not.toHaveBeenCalled();
    const init = (f.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect((init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('explains a non-JSON server error in words', async () => {
    const { api } = client(respond(502, '<html>Bad Gateway</html>') as unknown as typeof fetch);
    await expect(api.get('/api/leads')).rejects.toMatchObject({
      status: 502, code: 'http_502', message: fallbackMessage(502),
    });
  });

  it('reports an unreachable server as a network error', async () => {
    const f = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const { api } = client(f as unknown as typeof fetch);
    await expect(api.get('/api/leads')).rejects.toMatchObject({ status: 0, code: 'network_error' });
  });

  it('reads Retry-After in seconds', () => {
    const e = errorFromResponse(429, '{"error":"too_many_attempts","message":"Too many attempts."}', '30');
    expect(e.retryAfterSeconds).toBe(30);
    expect(errorFromResponse(429, '', null).retryAfterSeconds).toBeNull();
  });
});

describe('callSync', () => {
  it('returns the body of a failed sync as an answer', async () => {
    const held = { success: false, error: 'mass_removal_held', run_id: 3, plan: { resources: {} } };
    const { api } = client(respond(409, JSON.stringify(held)) as unknown as typeof fetch);
    await expect(callSync(() => api.post<typeof held>('/api/tenant/sync'))).resolves.toEqual(held);
  });

  it('rethrows errors that are not sync answers', async () => {
    const { api } = client(respond(500, '{"error":"internal","message":"Internal error"}') as unknown as typeof fetch);
    await expect(callSync(() => api.post<{ success: boolean }>('/api/tenant/sync'))).rejects.toBeInstanceOf(ApiError);
  });
});
