// @vitest-environment jsdom
// The app against a fake API: the pages share the counts, live events update them, and the ↻
// button reports completed, failed and held syncs.

import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from './App';

// Nango's SDK opens an iframe and talks to it by postMessage; here it records what it was asked.
const nango = vi.hoisted(() => ({ opened: [] as { config: unknown; options: any }[] }));
vi.mock('@nangohq/frontend', () => ({
  default: class {
    constructor(private readonly config: unknown) {}
    openConnectUI(options: unknown) {
      nango.opened.push({ config: this.config, options });
      return { close() {} };
    }
  },
}));

type Handler = (body: unknown) => { status: number; body?: unknown };

let routes: Record<string, Handler>;
let events: ReadableStreamDefaultController<Uint8Array> | null;
let calls: { method: string; path: string; body: unknown }[];

function summary(agents: number, extra: Record<string, unknown> = {}) {
  return {
    counts: { agents, phone_numbers: 2, campaigns: 1, executions: 5, leads: 0 },
    last_sync: { run_id: 1, state: 'succeeded', trigger: 'manual', started_at: new Date().toISOString(),
      finished_at: new Date().toISOString(), deleted: 0, error: null, message: null },
    sync_state: 'idle',
    running_run_id: null,
    ...extra,
  };
}

function sendEvent(name: string, data: unknown) {
  events?.enqueue(new TextEncoder().encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`));
}

beforeEach(() => {
  localStorage.setItem('tenantsync.token', 'tok');
  window.location.hash = '#/settings';
  events = null;
  calls = [];
  let agents = 3;
  routes = {
    'GET /api/auth/me': () => ({ status: 200, body: { user: { id: 1, email: 'a@b.c' }, tenant: { id: 1, name: 'Acme', default_region: 'US' } } }),
    'GET /api/tenant/settings': () => ({ status: 200, body: { voice_api_key_set: true, voice_key_last4: 'ey-1', voice_base_url: '', default_region: 'US', voice_account_id: 'acct-1' } }),
    'GET /api/tenant/summary': () => ({ status: 200, body: summary(agents) }),
    'GET /api/crm/status': () => ({ status: 200, body: { connections: [] } }),
    'GET /api/leads?limit=20': () => ({ status: 200, body: { items: [], next: null } }),
    'POST /api/tenant/sync': () => {
      agents = 1;
      return { status: 200, body: { message: 'Sync completed', success: true, deleted: 2, run_id: 2,
        resources: { agents: { created: 0, updated: 0, archived: 2, restored: 0, total: 1 } } } };
    },
  };
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    if (url === '/api/events') {
      return new Response(new ReadableStream({ start(c) { events = c; } }), { status: 200 });
    }
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ method, path: url, body });
    const handler = routes[`${method} ${url}`];
    if (!handler) return new Response('{"error":"not_found","message":"No such route."}', { status: 404 });
    const r = handler(body);
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status });
  }));
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('App', () => {
  it('shows the same counts on Settings and Dashboard and follows live summary events', async () => {
    render(<App />);
    expect(await screen.findByTestId('voice-key-masked')).toHaveProperty('textContent', '•••• ey-1');
    await waitFor(() => expect(screen.getByTestId('count-agents').textContent).toBe('3'));
    routes['GET /api/tenant/summary'] = () => ({ status: 200, body: summary(1) });
    await waitFor(() => expect(events).not.toBeNull());
    await act(async () => sendEvent('summary', { counts: summary(1).counts }));
    await waitFor(() => expect(screen.getByTestId('count-agents').textContent).toBe('1'));
    await act(async () => {
      window.location.hash = '#/dashboard';
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeTruthy();
    expect(screen.getByTestId('count-agents').textContent).toBe('1');
    expect(screen.getByText('No leads yet')).toBeTruthy();
  });

  it('↻ shows "Sync completed" with what changed, and the new count', async () => {
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('count-agents').textContent).toBe('3'));
    fireEvent.click(screen.getByRole('button', { name: 'Sync now' }));
    const result = await screen.findByTestId('sync-result');
    expect(result.textContent).toBe('Sync completed: 2 removed');
    await waitFor(() => expect(screen.getByTestId('count-agents').textContent).toBe('1'));
  });

  it('↻ shows a sync that could not read some resources in amber, naming them', async () => {
    routes['POST /api/tenant/sync'] = () => ({ status: 200, body: {
      success: true, message: 'Sync completed with warnings', deleted: 0, run_id: 8,
      resources: { agents: { created: 1, updated: 0, archived: 0, restored: 0, total: 1 } },
      warnings: [{ resource: 'executions', code: 'upstream_paging_loop', message: 'Executions were not read.' }] } });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sync now' }));
    const result = await screen.findByTestId('sync-result');
    expect(result.className).toContain('notice-warning');
    expect(result.textContent).toBe('Sync completed with warnings: 1 addedExecutions not read; they were left as they were.');
  });

  it('a last sync with resources not read shows amber with the failed resources', async () => {
    routes['GET /api/tenant/summary'] = () => ({ status: 200, body: summary(3, {
      sync_state: 'warning',
      last_sync: { run_id: 6, state: 'succeeded', trigger: 'manual', started_at: new Date().toISOString(),
        finished_at: new Date().toISOString(), deleted: 0, error: null, message: 'Sync completed with warnings',
        not_read: [{ resource: 'campaigns', code: 'upstream_error', message: 'm' },
          { resource: 'executions', code: 'upstream_error', message: 'm' }] },
    }) });
    render(<App />);
    const status = await screen.findByTestId('sync-status');
    await waitFor(() => expect(status.getAttribute('data-state')).toBe('warning'));
    expect(status.className).toContain('sync-status-warning');
    expect(status.textContent).toBe('Last synced just now with warnings: Campaigns and executions not read. Details');
  });

  it('↻ shows the reason of a failed sync', async () => {
    routes['POST /api/tenant/sync'] = () => ({ status: 502, body: {
      success: false, error: 'upstream_unavailable', message: 'Sync failed: the voice platform answered 503', run_id: 3 } });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sync now' }));
    expect((await screen.findByTestId('sync-result')).textContent)
      .toBe('Sync failed: the voice platform answered 503');
  });

  it('a held sync shows its plan, and Confirm applies it', async () => {
    routes['POST /api/tenant/sync'] = () => ({ status: 409, body: {
      success: false, error: 'mass_removal_held', message: 'This sync would remove all 3 agents.', run_id: 7, plan_id: 'p7',
      plan: { resources: { agents: { archive: [
        { upstream_id: 'ag-1', name: 'Sales bot' }, { upstream_id: 'ag-2', name: 'Support bot' },
      ] } } } } });
    routes['POST /api/sync/runs/7/confirm'] = () => ({ status: 200, body: {
      success: true, message: 'Sync completed', deleted: 2, run_id: 7,
      resources: { agents: { created: 0, updated: 0, archived: 2, restored: 0, total: 0 } } } });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sync now' }));
    const plan = await screen.findByTestId('held-plan');
    expect(within(plan).getByText('Sales bot')).toBeTruthy();
    expect(within(plan).getByText('Would archive 2 agents:')).toBeTruthy();
    fireEvent.click(within(plan).getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(screen.getByTestId('sync-result').textContent).toBe('Sync completed: 2 removed'));
    expect(screen.queryByTestId('held-plan')).toBeNull();
    expect(calls.some((c) => c.method === 'POST' && c.path === '/api/sync/runs/7/confirm')).toBe(true);
  });

  it('a rejected key shows the upstream reason and keeps the old key', async () => {
    routes['PUT /api/tenant/settings'] = () => ({ status: 422, body: {
      error: 'key_rejected', message: 'Bolna says: invalid API key' } });
    render(<App />);
    const input = await screen.findByLabelText('Voice API key');
    fireEvent.change(input, { target: { value: 'bn-wrong' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    expect((await screen.findByTestId('settings-error')).textContent)
      .toBe('The voice platform rejected this key: Bolna says: invalid API key');
    expect(screen.getByTestId('voice-key-masked').textContent).toBe('•••• ey-1');
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ voice_api_key: 'bn-wrong' });
  });

  it('a failed last sync shows its reason from the run\'s error', async () => {
    routes['GET /api/tenant/summary'] = () => ({ status: 200, body: summary(3, {
      sync_state: 'failed',
      last_sync: { run_id: 5, state: 'failed', trigger: 'manual', started_at: new Date().toISOString(),
        finished_at: new Date().toISOString(), deleted: null, message: '',
        error: { code: 'upstream_unavailable', message: 'Sync failed: the voice platform answered 503' } },
    }) });
    render(<App />);
    await waitFor(() => expect(screen.getByTestId('sync-status').textContent)
      .toMatch(/^Sync failed: the voice platform answered 503 \(just now\)$/));
  });

  it('Refresh CRM shows the totals and each failed connection\'s reason', async () => {
    window.location.hash = '#/dashboard';
    routes['GET /api/crm/status'] = () => ({ status: 200, body: { connections: [
      { id: 1, provider: 'hubspot', account_id: '4000001', active: true, state: 'connected', state_message: '',
        rate_limited_until: null, last_sync: null, next_sync_at: null },
    ] } });
    routes['POST /api/crm/sync'] = () => ({ status: 200, body: { success: false, results: [
      { connection_id: 1, provider: 'hubspot', run_id: 4, created: 2, updated: 1, unchanged: 7, error: null },
      { connection_id: 2, provider: 'salesforce', error: { code: 'needs_reauth', message: 'Reconnect Salesforce.' } },
    ] } });
    render(<App />);
    await screen.findByTestId('crm-connection');
    fireEvent.click(screen.getByTestId('crm-refresh'));
    const result = await screen.findByTestId('crm-result');
    expect(result.textContent).toBe('CRM refreshed: 2 created, 1 updated, 7 unchanged' + 'Salesforce: Reconnect Salesforce.');
  });

  it('Connect CRM opens Nango\'s Connect UI for a connect session and connects the connection it made', async () => {
    window.location.hash = '#/dashboard';
    nango.opened.length = 0;
    routes['POST /api/crm/connect-session'] = () => ({ status: 201, body: {
      token: 'nango_connect_session_x', expires_at: null, api_url: 'http://nango.test', provider_config_key: 'hubspot',
      connect_url: 'http://nango.test/connect-ui/?session_token=nango_connect_session_x' } });
    routes['POST /api/crm/connect'] = () => ({ status: 202, body: { connection: { id: 1 }, run_id: 9 } });
    render(<App />);
    fireEvent.click(await screen.findByTestId('crm-connect-toggle'));
    fireEvent.click(screen.getByTestId('crm-connect-submit'));
    await waitFor(() => expect(nango.opened.length).toBe(1));
    expect(calls.find((c) => c.path === '/api/crm/connect-session')?.body).toEqual({ provider: 'hubspot' });
    const { config, options } = nango.opened[0];
    expect(config).toEqual({ host: 'http://nango.test', connectSessionToken: 'nango_connect_session_x' });
    expect(options.baseURL).toBe('http://nango.test/connect-ui/');
    expect(options.apiURL).toBe('http://nango.test');
    expect(calls.some((c) => c.path === '/api/crm/connect')).toBe(false);
    await act(async () => options.onEvent({ type: 'connect', payload: { providerConfigKey: 'hubspot', connectionId: 'c-1' } }));
    await waitFor(() => expect(calls.find((c) => c.path === '/api/crm/connect')?.body)
      .toEqual({ provider: 'hubspot', nango_connection_id: 'c-1', provider_config_key: 'hubspot' }));
    await act(async () => options.onEvent({ type: 'close' }));
    expect((await screen.findByTestId('crm-connected')).textContent).toMatch(/^HubSpot connected\./);
  });

  it('a 401 sends the user back to the login page', async () => {
    routes['GET /api/tenant/summary'] = () => ({ status: 401, body: { error: 'unauthorized', message: 'Token expired.' } });
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeTruthy();
    expect(screen.getByText('Your session has ended. Please log in again.')).toBeTruthy();
    expect(localStorage.getItem('tenantsync.token')).toBeNull();
  });
});
