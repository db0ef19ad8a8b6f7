// @vitest-environment jsdom
// The call log against a fake API and event stream: a burst of `executions.changed` on the first
// page is one reload of it; with an older page loaded, the page stays and a notice offers the new
// calls.

import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Call } from '../api/contract';
import { App } from '../App';
import { kCallsReloadDebounceMs } from './Calls';

const kFirst = '/api/executions?limit=50';
const kSecond = '/api/executions?limit=50&cursor=c1';

let routes: Record<string, () => { status: number; body?: unknown }>;
let events: ReadableStreamDefaultController<Uint8Array> | null;
let gets: string[];

function call(id: string, status: string): Call {
  return {
    id, upstream_id: id, upstream_account_id: 'acct-1', resource: 'executions', name: '', status,
    agent_id: 'ag-1', batch_id: null, created_at: '2030-01-01T10:00:00Z', updated_at: null, first_seen_at: null,
    fields: {}, agent: { id: 1, upstream_id: 'ag-1', name: 'Sales Agent' }, campaign: null, cost: null,
    direction: 'outbound', duration_s: null, from_e164: null, from_number: null, to_e164: null, to_number: null,
  } as unknown as Call;
}

function sendEvent(name: string, data: unknown) {
  events?.enqueue(new TextEncoder().encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`));
}

const rowsShown = () => screen.queryAllByTestId('call-row').map((r) => `${r.dataset.upstreamId}:${r.dataset.status}`);
const firstPageReads = () => gets.filter((p) => p === kFirst).length;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  localStorage.setItem('tenantsync.token', 'tok');
  window.location.hash = '#/calls';
  events = null;
  gets = [];
  const empty = () => ({ status: 200, body: { items: [], next: null } });
  routes = {
    'GET /api/auth/me': () => ({ status: 200, body: { user: { id: 1, email: 'a@b.c' }, tenant: { id: 1, name: 'Acme', default_region: 'US' } } }),
    'GET /api/crm/status': () => ({ status: 200, body: { connections: [] } }),
    'GET /api/agents?limit=500': empty,
    'GET /api/campaigns?limit=500': empty,
    [`GET ${kFirst}`]: () => ({ status: 200, body: { items: [call('ex-2', 'completed')], next: 'c1' } }),
    [`GET ${kSecond}`]: () => ({ status: 200, body: { items: [call('ex-1', 'completed')], next: null } }),
  };
  vi.stubGlobal('fetch', vi.fn(async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    if (url === '/api/events') return new Response(new ReadableStream({ start(c) { events = c; } }), { status: 200 });
    if (method === 'GET') gets.push(url);
    const handler = routes[`${method} ${url}`];
    if (!handler) return new Response('{"error":"not_found","message":"No such route."}', { status: 404 });
    const r = handler();
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status });
  }));
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  localStorage.clear();
});

describe('Calls page, live', () => {
  it('reloads the first page once per burst of executions.changed', async () => {
    render(<App />);
    await waitFor(() => expect(rowsShown()).toEqual(['ex-2:completed']));
    await waitFor(() => expect(events).not.toBeNull());
    const before = firstPageReads();
    routes[`GET ${kFirst}`] = () => ({ status: 200, body: { items: [call('ex-3', 'completed'), call('ex-2', 'completed')], next: 'c1' } });
    await act(async () => {
      sendEvent('executions.changed', { execution_id: 'ex-3', outcome: 'created', status: 'queued' });
      sendEvent('executions.changed', { execution_id: 'ex-3', outcome: 'updated', status: 'in-progress' });
      sendEvent('executions.changed', { execution_id: 'ex-3', outcome: 'updated', status: 'completed' });
    });
    await waitFor(() => expect(rowsShown()).toEqual(['ex-3:completed', 'ex-2:completed']));
    await act(() => sleep(kCallsReloadDebounceMs + 100));
    expect(firstPageReads()).toBe(before + 1);
    expect(screen.queryByTestId('calls-new')).toBeNull();
  });

  it('with an older page loaded, keeps it and offers the new calls', async () => {
    render(<App />);
    await waitFor(() => expect(rowsShown()).toEqual(['ex-2:completed']));
    await waitFor(() => expect(events).not.toBeNull());
    fireEvent.click(screen.getByTestId('load-more'));
    await waitFor(() => expect(rowsShown()).toEqual(['ex-2:completed', 'ex-1:completed']));
    const before = firstPageReads();
    routes[`GET ${kFirst}`] = () => ({ status: 200, body: { items: [call('ex-3', 'completed'), call('ex-2', 'completed')], next: 'c1' } });
    await act(async () => sendEvent('executions.changed', { execution_id: 'ex-3', outcome: 'created', status: 'completed' }));
    await screen.findByTestId('calls-new');
    expect(firstPageReads()).toBe(before);
    expect(rowsShown()).toEqual(['ex-2:completed', 'ex-1:completed']);
    fireEvent.click(screen.getByTestId('calls-new-show'));
    await waitFor(() => expect(rowsShown()).toEqual(['ex-3:completed', 'ex-2:completed']));
    expect(screen.queryByTestId('calls-new')).toBeNull();
    expect(firstPageReads()).toBe(before + 1);
  });
});
