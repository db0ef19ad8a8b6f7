// Webhooks: the tenant's outbound webhooks (create, with the secret shown once; list; delete;
// rotate the secret) and each webhook's delivery log with redeliver. docs/api.md, "Webhooks".

import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { EmptyState, errorText, Notice, Spinner } from '../components/common';
import { formatDateTime } from '../lib/format';
import { useSession } from '../state/session';

export interface Webhook {
  id: number;
  url: string;
  events: string[];
  active: boolean;
  created_at: string;
  updated_at: string;
  secret?: string;
}

export interface Delivery {
  id: number;
  delivery_id: string;
  seq: number;
  type: string;
  state: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  next_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

/// "lead.*, run.finished" → ["lead.*", "run.finished"]; empty → every event.
export function parseEvents(text: string): string[] {
  const events = text.split(/[\s,]+/).map((e) => e.trim()).filter(Boolean);
  return events.length ? events : ['*'];
}

export function WebhooksPage() {
  const { api } = useSession();
  const [hooks, setHooks] = useState<Webhook[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState('*');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);
  const [secret, setSecret] = useState<{ id: number; secret: string } | null>(null);
  const [open, setOpen] = useState<number | null>(null);

  const load = useCallback(async () => {
    try {
      const r = await api.get<{ items: Webhook[] }>('/api/webhooks');
      setHooks(r.items);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api]);

  useEffect(() => { void load(); }, [load]);

  async function create(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setNotice(null);
    try {
      const made = await api.post<Webhook>('/api/webhooks', { url: url.trim(), events: parseEvents(events) });
      setSecret({ id: made.id, secret: made.secret ?? '' });
      setUrl('');
      await load();
    } catch (err) {
      setNotice({ tone: 'error', text: `Could not create the webhook: ${errorText(err)}` });
    } finally {
      setBusy(false);
    }
  }

  async function remove(hook: Webhook) {
    if (!window.confirm(`Delete the webhook to ${hook.url}? Its delivery log goes too.`)) return;
    setNotice(null);
    try {
      await api.del(`/api/webhooks/${hook.id}`);
      if (open === hook.id) setOpen(null);
      setNotice({ tone: 'success', text: `Deleted the webhook to ${hook.url}.` });
      await load();
    } catch (err) {
      setNotice({ tone: 'error', text: `Could not delete the webhook: ${errorText(err)}` });
    }
  }

  async function rotate(hook: Webhook) {
    if (!window.confirm('Rotate the secret? Deliveries from now on are signed with the new one only.')) return;
    setNotice(null);
    try {
      const rotated = await api.post<Webhook>(`/api/webhooks/${hook.id}/rotate-secret`);
      setSecret({ id: hook.id, secret: rotated.secret ?? '' });
    } catch (err) {
      setNotice({ tone: 'error', text: `Could not rotate the secret: ${errorText(err)}` });
    }
  }

  return (
    <div className="page">
      <h1>Webhooks</h1>
      <p className="muted">
        Each change to your leads, calls, agents, numbers, campaigns and syncs is POSTed, signed, to
        your webhooks, once and in order; a receiver that is down gets what it missed when it is back.
      </p>
      <section className="card wide" aria-labelledby="webhook-new">
        <h2 id="webhook-new">New webhook</h2>
        <form onSubmit={create} className="form-row">
          <label>
            URL
            <input type="url" required value={url} onChange={(e) => setUrl(e.target.value)}
                   placeholder="https://example.com/hooks/tenantsync" data-testid="webhook-url" />
          </label>
          <label>
            Events
            <input type="text" value={events} onChange={(e) => setEvents(e.target.value)}
                   placeholder="* or lead.*, execution.updated" data-testid="webhook-events" />
          </label>
          <button type="submit" disabled={busy || !url.trim()} data-testid="webhook-create">
            {busy ? <Spinner /> : null} Create
          </button>
        </form>
        <div aria-live="polite">
          {secret ? (
            <Notice tone="success" testId="webhook-secret">
              The signing secret of webhook {secret.id}, shown only now: <code className="mono">{secret.secret}</code>{' '}
              <button type="button" onClick={() => void navigator.clipboard?.writeText(secret.secret)}>Copy</button>{' '}
              <button type="button" onClick={() => setSecret(null)}>Done</button>
            </Notice>
          ) : null}
          {notice ? <Notice tone={notice.tone} testId="webhook-notice">{notice.text}</Notice> : null}
        </div>
      </section>
      <section className="card wide" aria-labelledby="webhook-list">
        <h2 id="webhook-list">Your webhooks</h2>
        {error ? <Notice tone="error">Could not load the webhooks: {error}</Notice> : null}
        {!hooks && !error ? <p className="muted"><Spinner /> Loading…</p> : null}
        {hooks && !hooks.length ? <EmptyState title="No webhooks yet">Create one above.</EmptyState> : null}
        {hooks && hooks.length ? (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">URL</th>
                  <th scope="col">Events</th>
                  <th scope="col">Created</th>
                  <th scope="col"><span className="sr-only">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                {hooks.map((h) => (
                  <tr key={h.id} data-testid="webhook-row" data-id={String(h.id)}>
                    <td data-label="URL" className="mono">{h.url}{h.active ? '' : ' (paused)'}</td>
                    <td data-label="Events">{h.events.join(', ')}</td>
                    <td data-label="Created">{formatDateTime(h.created_at)}</td>
                    <td>
                      <button type="button" onClick={() => setOpen(open === h.id ? null : h.id)}
                              aria-expanded={open === h.id}>Deliveries</button>{' '}
                      <button type="button" onClick={() => void rotate(h)}>Rotate secret</button>{' '}
                      <button type="button" onClick={() => void remove(h)}>Delete</button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>
      {open !== null ? <DeliveryLog webhookId={open} /> : null}
    </div>
  );
}

function DeliveryLog({ webhookId }: { webhookId: number }) {
  const { api } = useSession();
  const [items, setItems] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const r = await api.get<{ items: Delivery[] }>(`/api/webhooks/${webhookId}/deliveries?limit=100`);
      setItems(r.items);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api, webhookId]);

  useEffect(() => {
    setItems(null);
    void load();
    const timer = window.setInterval(() => void load(), 5000);
    return () => window.clearInterval(timer);
  }, [load]);

  async function redeliver(d: Delivery) {
    setNotice(null);
    try {
      await api.post(`/api/webhooks/${webhookId}/deliveries/${d.id}/redeliver`);
      setNotice(`Delivery of change ${d.seq} queued again.`);
      await load();
    } catch (e) {
      setNotice(`Could not redeliver: ${errorText(e)}`);
    }
  }

  return (
    <section className="card wide" aria-labelledby="delivery-log">
      <h2 id="delivery-log">Deliveries of webhook {webhookId}</h2>
      <div aria-live="polite">{notice ? <Notice testId="delivery-notice">{notice}</Notice> : null}</div>
      {error ? <Notice tone="error">Could not load the deliveries: {error}</Notice> : null}
      {!items && !error ? <p className="muted"><Spinner /> Loading…</p> : null}
      {items && !items.length ? <EmptyState title="No deliveries yet">Changes after the webhook was made show here.</EmptyState> : null}
      {items && items.length ? (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Event</th>
                <th scope="col">State</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">When</th>
                <th scope="col"><span className="sr-only">Action</span></th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} data-testid="delivery-row" data-state={d.state}>
                  <td data-label="Change" className="mono">{d.seq}</td>
                  <td data-label="Event">{d.type}</td>
                  <td data-label="State">
                    {d.state}
                    {d.state === 'pending' && d.next_attempt_at ? ` (next ${formatDateTime(d.next_attempt_at)})` : ''}
                  </td>
                  <td data-label="Attempts">{d.attempts}</td>
                  <td data-label="Last answer">{d.last_status ?? ''} {d.last_error ?? ''}</td>
                  <td data-label="When">{formatDateTime(d.delivered_at ?? d.created_at)}</td>
                  <td>
                    <button type="button" onClick={() => void redeliver(d)} aria-label={`Redeliver change ${d.seq}`}>
                      Redeliver
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
