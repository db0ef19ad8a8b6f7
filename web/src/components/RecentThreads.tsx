// Recent Threads: the newest leads, updated live when a sync brings leads, and an Add lead form.

import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { Lead, LeadsChangedEvent, Page } from '../api/types';
import { formatRelative } from '../lib/format';
import { useLiveEvent } from '../state/live';
import { useCanCall } from '../state/role';
import { useSession } from '../state/session';
import { ExportButton } from './ExportButton';
import { EmptyState, errorText, Notice, Spinner, useNow } from './common';

export const kRecentLeads = 20;

export function RecentThreads({ reloadSignal }: { reloadSignal: number }) {
  const { api } = useSession();
  const now = useNow();
  const [leads, setLeads] = useState<Lead[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [showForm, setShowForm] = useState(false);
  const canAdd = useCanCall('createLead');
  const seq = useRef(0);
  const debounce = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(async () => {
    const mine = ++seq.current;
    try {
      const r = await api.get<Page<Lead>>(`/api/leads?limit=${kRecentLeads}`);
      if (mine === seq.current) {
        setLeads(r.items ?? []);
        setError(null);
      }
    } catch (e) {
      if (mine === seq.current) setError(errorText(e));
    }
  }, [api]);

  // A sync emits leads.changed per committed batch; one reload per burst is enough.
  const loadSoon = useCallback(() => {
    if (debounce.current) clearTimeout(debounce.current);
    debounce.current = setTimeout(() => void load(), 200);
  }, [load]);

  useEffect(() => {
    void load();
  }, [load, reloadSignal]);
  useEffect(() => () => {
    if (debounce.current) clearTimeout(debounce.current);
  }, []);
  useLiveEvent<LeadsChangedEvent>('leads.changed', loadSoon);

  return (
    <section className="card wide" aria-labelledby="threads-title" data-testid="recent-threads">
      <div className="card-head">
        <h2 id="threads-title">Recent Threads</h2>
        <ExportButton path="/api/leads/export" name="leads" />
        {canAdd ? (
          <button type="button" onClick={() => setShowForm((v) => !v)} aria-expanded={showForm}
                  aria-controls="add-lead-form" data-testid="add-lead-toggle">
            Add lead
          </button>
        ) : null}
      </div>
      {showForm ? <AddLeadForm onAdded={() => { setShowForm(false); void load(); }} /> : null}
      {error ? <Notice tone="error">Could not load the leads: {error}</Notice> : null}
      {!leads && !error ? <p className="muted"><Spinner /> Loading leads…</p> : null}
      {leads && !leads.length ? (
        <EmptyState title="No leads yet">
          Connect a CRM to import its contacts, or add a lead by hand.
        </EmptyState>
      ) : null}
      {leads && leads.length ? (
        <div className="table-wrap">
          <table className="table leads">
            <caption className="sr-only">The {kRecentLeads} newest leads</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Phone</th>
                <th scope="col">E-mail</th>
                <th scope="col">Owner</th>
                <th scope="col">Status</th>
                <th scope="col">Stage</th>
                <th scope="col">Last activity</th>
              </tr>
            </thead>
            <tbody>
              {leads.map((l) => (
                <tr key={String(l.id)} data-testid="lead-row" data-lead-id={String(l.id)}>
                  <td data-label="Name">
                    {l.name || <span className="muted">(no name)</span>}
                    {l.source === 'manual' ? <span className="badge">manual</span> : null}
                  </td>
                  <td data-label="Phone" className="mono">
                    {l.phone_e164 ?? (l.phone_raw ? (
                      <span title="This number could not be read as an international number">
                        {l.phone_raw} <span className="badge badge-error">unverified</span>
                      </span>
                    ) : '—')}
                  </td>
                  <td data-label="E-mail">{l.email || '—'}</td>
                  <td data-label="Owner">{l.crm_owner || l.crm_owner_email || '—'}</td>
                  <td data-label="Status">{l.crm_status || '—'}</td>
                  <td data-label="Stage">{l.crm_stage || '—'}</td>
                  <td data-label="Last activity">
                    {l.crm_last_activity_at ? formatRelative(l.crm_last_activity_at, now) : '—'}
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

function AddLeadForm({ onAdded }: { onAdded(): void }) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (!name.trim() && !phone.trim() && !email.trim()) {
      setError('Enter at least a name, a phone number or an e-mail address.');
      return;
    }
    setBusy(true);
    try {
      await api.post('/api/leads', { name: name.trim(), phone: phone.trim(), email: email.trim() });
      onAdded();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : `Could not add the lead: ${errorText(err)}`);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form id="add-lead-form" className="subform" onSubmit={submit} noValidate aria-label="Add a lead">
      <div className="row">
        <div className="field">
          <label htmlFor="lead-name">Name</label>
          <input id="lead-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="lead-phone">Phone</label>
          <input id="lead-phone" type="tel" value={phone} onChange={(e) => setPhone(e.target.value)} autoComplete="off" />
        </div>
        <div className="field">
          <label htmlFor="lead-email">E-mail</label>
          <input id="lead-email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
        </div>
      </div>
      {error ? <Notice tone="error" testId="add-lead-error">{error}</Notice> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={busy} data-testid="add-lead-submit">
          {busy ? <Spinner /> : null} Add lead
        </button>
      </div>
    </form>
  );
}
