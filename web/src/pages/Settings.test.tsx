// @vitest-environment jsdom
// Settings' call-webhook card against a fake API: setting the URL on every agent (and taking it
// off) asks first, sends only after the confirm, and shows the report or the server's reason.

import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AgentWebhookReport } from '../api/contract';
import { App } from '../App';
import { agentWebhookSummary } from '../components/AgentsCallWebhook';

const kHookUrl = 'https://tenantsync.example/hooks/bolna/tok123';

type Answer = { status: number; body?: unknown };
type Handler = (body: unknown) => Answer | Promise<Answer>;

let routes: Record<string, Handler>;
let posts: unknown[];

function report(extra: Partial<AgentWebhookReport>): AgentWebhookReport {
  return { call_webhook_url: kHookUrl, enabled: true, agents: [], changed: 0, unchanged: 0, kept_other: 0, failed: 0, ...extra };
}

function settings(voiceKeySet: boolean) {
  return { status: 200, body: { voice_api_key_set: voiceKeySet, voice_key_last4: voiceKeySet ? 'ey-1' : '', voice_base_url: '',
    default_region: 'US', voice_account_id: 'acct-1', call_webhook_url: kHookUrl } };
}

beforeEach(() => {
  localStorage.setItem('tenantsync.token', 'tok');
  window.location.hash = '#/settings';
  posts = [];
  routes = {
    'GET /api/auth/me': () => ({ status: 200, body: { user: { id: 1, email: 'a@b.c', role: 'admin' }, tenant: { id: 1, name: 'Acme', default_region: 'US' } } }),
    'GET /api/tenant/settings': () => settings(true),
  };
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    // The live events stream stays open and silent.
    if (url === '/api/events') return new Response(new ReadableStream(), { status: 200 });
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    if (url === '/api/tenant/call-webhook/agents') posts.push(body);
    const handler = routes[`${method} ${url}`];
    if (!handler) return new Response('{"error":"not_found","message":"No such route."}', { status: 404 });
    const r = await handler(body);
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status });
  }));
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

async function enableButton() {
  const button = await screen.findByTestId('agents-webhook-enable');
  await waitFor(() => expect(button).toHaveProperty('disabled', false));
  return button;
}

describe('agentWebhookSummary', () => {
  it('counts changed and failed always, the rest when there are some', () => {
    expect(agentWebhookSummary(report({ agents: [{ agent_id: 'a', name: 'A', outcome: 'set' }], changed: 3, kept_other: 1 })))
      .toBe('3 agents changed, 1 kept its own webhook URL, 0 failed.');
    expect(agentWebhookSummary(report({ agents: [{ agent_id: 'a', name: 'A', outcome: 'set' }], changed: 1, unchanged: 2, kept_other: 2, failed: 1 })))
      .toBe('1 agent changed, 2 already sent calls here, 2 kept their own webhook URL, 1 failed.');
    expect(agentWebhookSummary(report({ enabled: false, agents: [{ agent_id: 'a', name: 'A', outcome: 'not_set' }], unchanged: 1 })))
      .toBe('0 agents changed, 1 did not send calls here, 0 failed.');
    expect(agentWebhookSummary(report({}))).toBe('The voice account has no agents, so nothing was changed.');
  });
});

describe('Settings: the call webhook on every agent', () => {
  it('asks first, sends replace_others as ticked, and shows each agent\'s outcome', async () => {
    routes['POST /api/tenant/call-webhook/agents'] = () => ({ status: 200, body: report({
      agents: [
        { agent_id: 'ag-1', name: 'Sales', outcome: 'set' },
        { agent_id: 'ag-2', name: 'Care', outcome: 'replaced', previous_url: 'https://other.example/hook' },
        { agent_id: 'ag-3', name: 'Night', outcome: 'failed', message: 'Agent is locked.' },
      ],
      changed: 2, failed: 1,
    }) });
    render(<App />);
    fireEvent.click(await enableButton());
    const consent = screen.getByTestId('agents-webhook-consent');
    expect(consent.textContent).toMatch(/every agent of your Bolna account/);
    expect(consent.textContent).toMatch(/through the Bolna API/);
    const replace = within(consent).getByLabelText('Also replace webhook URLs that point elsewhere') as HTMLInputElement;
    expect(replace.checked).toBe(false);
    expect(posts).toEqual([]);

    fireEvent.click(replace);
    fireEvent.click(within(consent).getByTestId('agents-webhook-confirm'));
    expect(await screen.findByTestId('agents-webhook-summary')).toHaveProperty('textContent', '2 agents changed, 1 failed.');
    expect(posts).toEqual([{ enabled: true, replace_others: true }]);
    expect(screen.queryByTestId('agents-webhook-consent')).toBeNull();
    const rows = screen.getAllByTestId('agents-webhook-row');
    expect(rows.map((r) => r.dataset.outcome)).toEqual(['set', 'replaced', 'failed']);
    expect(rows[1].textContent).toContain('https://other.example/hook');
    expect(rows[2].textContent).toContain('Agent is locked.');
  });

  it('while the agents change, both buttons wait and the one clicked says so', async () => {
    let answer: (a: Answer) => void = () => {};
    routes['POST /api/tenant/call-webhook/agents'] = () => new Promise<Answer>((resolve) => { answer = resolve; });
    render(<App />);
    fireEvent.click(await enableButton());
    fireEvent.click(screen.getByTestId('agents-webhook-confirm'));
    await waitFor(() => expect(screen.getByTestId('agents-webhook-enable').textContent).toContain('Changing the agents…'));
    expect(screen.getByTestId('agents-webhook-enable')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('agents-webhook-disable')).toHaveProperty('disabled', true);
    answer({ status: 200, body: report({ agents: [{ agent_id: 'ag-1', name: 'Sales', outcome: 'already_set' }], unchanged: 1 }) });
    expect(await screen.findByTestId('agents-webhook-summary'))
      .toHaveProperty('textContent', '0 agents changed, 1 already sent calls here, 0 failed.');
    expect(screen.getByTestId('agents-webhook-enable')).toHaveProperty('disabled', false);
  });

  it('Cancel sends nothing; stopping has no replace choice and sends enabled: false', async () => {
    routes['POST /api/tenant/call-webhook/agents'] = () => ({ status: 200, body: report({
      enabled: false, agents: [{ agent_id: 'ag-1', name: 'Sales', outcome: 'cleared' }], changed: 1,
    }) });
    render(<App />);
    fireEvent.click(await enableButton());
    fireEvent.click(screen.getByTestId('agents-webhook-cancel'));
    expect(screen.queryByTestId('agents-webhook-consent')).toBeNull();

    fireEvent.click(screen.getByTestId('agents-webhook-disable'));
    const consent = screen.getByTestId('agents-webhook-consent');
    expect(within(consent).queryByRole('checkbox')).toBeNull();
    expect(posts).toEqual([]);
    fireEvent.click(within(consent).getByTestId('agents-webhook-confirm'));
    expect(await screen.findByTestId('agents-webhook-summary')).toHaveProperty('textContent', '1 agent changed, 0 failed.');
    expect(posts).toEqual([{ enabled: false, replace_others: false }]);
    expect(screen.getByTestId('agents-webhook-row').dataset.outcome).toBe('cleared');
  });

  it('shows the server\'s reason when it refuses', async () => {
    routes['POST /api/tenant/call-webhook/agents'] = () => ({ status: 502, body: {
      error: 'upstream_unavailable', message: 'The voice platform could not be reached.' } });
    render(<App />);
    fireEvent.click(await enableButton());
    fireEvent.click(screen.getByTestId('agents-webhook-confirm'));
    expect(await screen.findByTestId('agents-webhook-error'))
      .toHaveProperty('textContent', 'Could not change the agents: The voice platform could not be reached.');
    expect(screen.queryByTestId('agents-webhook-report')).toBeNull();
  });

  it('saving the first key keeps the URL and lets the buttons work', async () => {
    routes['GET /api/tenant/settings'] = () => settings(false);
    // As the server answers a PUT: the settings without the call-webhook URL.
    routes['PUT /api/tenant/settings'] = () => {
      const { call_webhook_url: _url, ...saved } = settings(true).body;
      return { status: 200, body: saved };
    };
    render(<App />);
    await screen.findByTestId('agents-webhook-needs-key');
    fireEvent.change(screen.getByLabelText('Voice API key'), { target: { value: 'bn-new-key-1' } });
    fireEvent.click(screen.getByTestId('settings-save'));
    await screen.findByTestId('settings-saved');
    expect((screen.getByTestId('call-webhook-url') as HTMLInputElement).value).toBe(kHookUrl);
    expect(await enableButton()).toBeTruthy();
    expect(screen.queryByTestId('agents-webhook-needs-key')).toBeNull();
  });

  it('without a saved voice key the buttons wait for one', async () => {
    routes['GET /api/tenant/settings'] = () => settings(false);
    render(<App />);
    await screen.findByTestId('agents-webhook-needs-key');
    expect(screen.getByTestId('agents-webhook-enable')).toHaveProperty('disabled', true);
    expect(screen.getByTestId('agents-webhook-disable')).toHaveProperty('disabled', true);
  });

  it('a member sees the URL but not the buttons', async () => {
    routes['GET /api/auth/me'] = () => ({ status: 200, body: { user: { id: 1, email: 'a@b.c', role: 'member' }, tenant: { id: 1, name: 'Acme', default_region: 'US' } } });
    render(<App />);
    await screen.findByText('member', { selector: '[data-testid=my-role]' });
    await waitFor(() => expect((screen.getByTestId('call-webhook-url') as HTMLInputElement).value).toBe(kHookUrl));
    expect(screen.queryByTestId('agents-webhook-enable')).toBeNull();
    expect(screen.queryByTestId('agents-webhook-disable')).toBeNull();
  });
});
