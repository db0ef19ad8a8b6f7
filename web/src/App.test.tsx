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
let calls: { method: string; path: string; body: unknown; auth?: string }[];

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
    calls.push({ method, path: url, body, auth: (init?.headers as Record<string, string> | undefined)?.Authorization });
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

function me(role: string, tenant = { id: 1, name: 'Acme' }) {
  return { status: 200, body: { user: { id: 1, email: 'a@b.c', role }, tenant: { ...tenant, default_region: 'US' } } };
}

async function go(hash: string) {
  await act(async () => {
    window.location.hash = hash;
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  });
}

describe('App by role', () => {
  it('a viewer sees the settings as facts and no control it cannot use', async () => {
    routes['GET /api/auth/me'] = () => me('viewer');
    routes['GET /api/crm/status'] = () => ({ status: 200, body: { connections: [
      { id: 1, provider: 'hubspot', account_id: '4000001', active: true, state: 'connected', state_message: '',
        rate_limited_until: null, last_sync: null, next_sync_at: null },
    ] } });
    render(<App />);
    await screen.findByText('viewer', { selector: '[data-testid=my-role]' });
    expect(screen.getByTestId('voice-key-masked').textContent).toBe('•••• ey-1');
    expect(screen.getByTestId('voice-settings-facts')).toBeTruthy();
    for (const id of ['settings-save', 'sync-button', 'call-webhook-rotate', 'agents-webhook-enable', 'agents-webhook-disable']) expect(screen.queryByTestId(id), id).toBeNull();
    expect(screen.queryByLabelText('Voice API key')).toBeNull();
    expect(screen.queryByTestId('nav-webhooks')).toBeNull();
    await go('#/dashboard');
    await screen.findByTestId('crm-connection');
    for (const id of ['crm-connect-toggle', 'crm-refresh', 'add-lead-toggle']) expect(screen.queryByTestId(id), id).toBeNull();
    expect(screen.getByTestId('export-leads-csv')).toBeTruthy();
  });

  it('a member may sync and add leads, but not change the key, connect a CRM or decide a held plan', async () => {
    routes['GET /api/auth/me'] = () => me('member');
    routes['GET /api/tenant/summary'] = () => ({ status: 200, body: summary(3, {
      sync_state: 'held',
      last_sync: { run_id: 7, state: 'held', trigger: 'schedule', started_at: new Date().toISOString(),
        finished_at: null, deleted: null, error: null, message: null },
    }) });
    routes['GET /api/sync/runs/7'] = () => ({ status: 200, body: { id: 7, state: 'held', plan: { resources: {} } } });
    render(<App />);
    await screen.findByText('member', { selector: '[data-testid=my-role]' });
    expect(screen.getByTestId('sync-button')).toBeTruthy();
    expect(screen.queryByTestId('settings-save')).toBeNull();
    expect(await screen.findByTestId('held-admin-only')).toBeTruthy();
    expect(screen.queryByTestId('held-confirm')).toBeNull();
    expect(screen.queryByTestId('held-cancel')).toBeNull();
    await go('#/dashboard');
    expect(await screen.findByTestId('add-lead-toggle')).toBeTruthy();
    expect(screen.queryByTestId('crm-connect-toggle')).toBeNull();
  });

  it('a page above the role says so instead of loading', async () => {
    routes['GET /api/auth/me'] = () => me('member');
    window.location.hash = '#/webhooks';
    render(<App />);
    expect(await screen.findByTestId('page-not-for-role')).toBeTruthy();
    expect(calls.some((c) => c.path === '/api/webhooks')).toBe(false);
  });
});

describe('App for a person in several tenants', () => {
  const acme = { tenant_id: 1, name: 'Acme', role: 'owner' };
  const globex = { tenant_id: 2, name: 'Globex', role: 'viewer' };

  beforeEach(() => {
    // The fake API answers for the tenant of the token stored now, as the server would.
    const inGlobex = () => localStorage.getItem('tenantsync.token') === 'tok-globex';
    routes['GET /api/auth/me'] = () => (inGlobex() ? me('viewer', { id: 2, name: 'Globex' }) : me('owner'));
    routes['GET /api/auth/tenants'] = () => ({ status: 200, body: { items: [
      { ...acme, current: !inGlobex() }, { ...globex, current: inGlobex() },
    ] } });
    routes['POST /api/auth/switch'] = () => ({ status: 200, body: {
      token: 'tok-globex', tenant_id: 2, user: { id: 1, email: 'a@b.c' }, expires_in: 3600 } });
  });

  it('switches tenant from the header: a new token, and me, role and pages reload for it', async () => {
    window.location.hash = '#/leads/42';
    routes['GET /api/leads/42'] = () => ({ status: 404, body: { error: 'not_found', message: 'No such lead.' } });
    render(<App />);
    const switcher = await screen.findByTestId('tenant-switcher');
    expect([...switcher.querySelectorAll('option')].map((o) => o.textContent)).toEqual(['Acme · owner', 'Globex · viewer']);
    expect((switcher as HTMLSelectElement).value).toBe('1');
    await screen.findByText('owner', { selector: '[data-testid=my-role]' });
    fireEvent.change(switcher, { target: { value: '2' } });
    await screen.findByText('viewer', { selector: '[data-testid=my-role]' });
    expect(calls.find((c) => c.path === '/api/auth/switch')?.body).toEqual({ tenant_id: 2 });
    expect(localStorage.getItem('tenantsync.token')).toBe('tok-globex');
    expect(screen.getByTestId('who').textContent).toBe('Globex · a@b.c');
    expect((screen.getByTestId('tenant-switcher') as HTMLSelectElement).value).toBe('2');
    // The lead open before belongs to Acme: the list of leads shows instead.
    expect(window.location.hash).toBe('#/leads');
    expect(calls.filter((c) => c.path === '/api/auth/me').at(-1)?.auth).toBe('Bearer tok-globex');
  });

  it('follows a switch made in another tab', async () => {
    render(<App />);
    await screen.findByText('owner', { selector: '[data-testid=my-role]' });
    await act(async () => {
      localStorage.setItem('tenantsync.token', 'tok-globex');
      window.dispatchEvent(new StorageEvent('storage', { key: 'tenantsync.token', newValue: 'tok-globex' }));
    });
    await screen.findByText('viewer', { selector: '[data-testid=my-role]' });
    expect(screen.getByTestId('who').textContent).toBe('Globex · a@b.c');
  });

  it('shows no switcher with one tenant', async () => {
    routes['GET /api/auth/tenants'] = () => ({ status: 200, body: { items: [{ ...acme, current: true }] } });
    render(<App />);
    await screen.findByText('owner', { selector: '[data-testid=my-role]' });
    await waitFor(() => expect(calls.some((c) => c.path === '/api/auth/tenants')).toBe(true));
    expect(screen.queryByTestId('tenant-switcher')).toBeNull();
  });
});

describe('Accepting an invitation', () => {
  const joined = { token: 'tok-acme', tenant_id: 1, user: { id: 5, email: 'a@b.c' }, expires_in: 3600 };
  const preview = (email: string) => () => ({ status: 200, body: {
    tenant_name: 'Acme', email, role: 'member', expires_at: '2026-12-09T00:00:00.000Z' } });

  it('says where the link leads, and warns a login of another e-mail before the click', async () => {
    localStorage.setItem('tenantsync.email', 'a@b.c');
    window.location.hash = '#/accept-invitation/inv-1';
    routes['GET /api/team/invitations/inv-1/accept'] = preview('ann@acme.example');
    render(<App />);
    expect(await screen.findByRole('heading', { name: 'Join Acme' })).toBeTruthy();
    expect(screen.getByTestId('accept-preview').textContent).toBe('Invitation for ann@acme.example as member.');
    expect(screen.getByTestId('accept-other-email').textContent).toMatch(/signed in as a@b\.c, but this invitation is for ann@acme\.example/);
  });

  it('a link that is unknown, used or expired says so before anything is typed', async () => {
    localStorage.removeItem('tenantsync.token');
    window.location.hash = '#/accept-invitation/inv-gone';
    render(<App />);
    expect((await screen.findByTestId('accept-error')).textContent).toMatch(/unknown, already used or expired/);
  });

  it('signed in: joins with the login, no password, and opens the inviting tenant', async () => {
    localStorage.setItem('tenantsync.email', 'a@b.c');
    window.location.hash = '#/accept-invitation/inv-1';
    routes['GET /api/team/invitations/inv-1/accept'] = preview('a@b.c');
    routes['POST /api/team/invitations/inv-1/accept'] = () => ({ status: 201, body: joined });
    render(<App />);
    await screen.findByTestId('accept-preview');
    expect(screen.queryByTestId('accept-other-email')).toBeNull();
    fireEvent.click(await screen.findByRole('button', { name: 'Join as a@b.c' }));
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeTruthy();
    const accept = calls.find((c) => c.method === 'POST' && c.path === '/api/team/invitations/inv-1/accept');
    expect(accept?.body).toEqual({});
    expect(accept?.auth).toBe('Bearer tok');
    expect(localStorage.getItem('tenantsync.token')).toBe('tok-acme');
  });

  it('signed in with another e-mail: shows the server\'s reason', async () => {
    window.location.hash = '#/accept-invitation/inv-1';
    routes['GET /api/team/invitations/inv-1/accept'] = preview('ann@acme.example');
    routes['POST /api/team/invitations/inv-1/accept'] = () => ({ status: 403, body: {
      error: 'invitation_email_mismatch', message: 'the invitation is for another e-mail address' } });
    render(<App />);
    fireEvent.click(await screen.findByTestId('accept-join'));
    expect((await screen.findByTestId('accept-error')).textContent).toBe('Could not join: the invitation is for another e-mail address');
    expect(localStorage.getItem('tenantsync.token')).toBe('tok');
  });

  it('signed out, an e-mail that has a login: asks to log in and open the link again', async () => {
    localStorage.removeItem('tenantsync.token');
    window.location.hash = '#/accept-invitation/inv-1';
    routes['GET /api/team/invitations/inv-1/accept'] = preview('ann@acme.example');
    routes['POST /api/team/invitations/inv-1/accept'] = () => ({ status: 409, body: {
      error: 'email_taken', message: 'An account with this e-mail already exists.' } });
    render(<App />);
    fireEvent.change(await screen.findByTestId('accept-password'), { target: { value: 'long password' } });
    fireEvent.click(screen.getByTestId('accept-submit'));
    expect((await screen.findByTestId('accept-error')).textContent).toMatch(/^An account with this e-mail already exists\. Log in with it, then open this link again/);
    expect(screen.getByTestId('accept-log-in').getAttribute('href')).toBe('#/dashboard');
    expect(calls.find((c) => c.method === 'POST' && c.path === '/api/team/invitations/inv-1/accept')?.body).toEqual({ password: 'long password' });
  });
});
