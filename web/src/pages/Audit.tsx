// Audit log (admins): who did what, when and from where, newest first, filtered by action and
// paged with the server's cursor.

import { useCallback, useEffect, useState } from 'react';
import type { AuditEntry } from '../api/types';
import { EmptyState, errorText, Notice, Spinner } from '../components/common';
import { useSession } from '../state/session';

interface AuditPage {
  items: AuditEntry[];
  next: string | null;
}

export function AuditPage() {
  const { api } = useSession();
  const [action, setAction] = useState('');
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (cursor: string | null) => {
    try {
      const q = new URLSearchParams({ limit: '50' });
      if (action.trim()) q.set('action', action.trim());
      if (cursor) q.set('cursor', cursor);
      const page = await api.get<AuditPage>(`/api/audit?${q.toString()}`);
      setEntries((prev) => (cursor && prev ? [...prev, ...page.items] : page.items));
      setNext(page.next);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api, action]);

  useEffect(() => {
    void load(null);
  }, [load]);

  return (
    <div className="page">
      <h1>Audit log</h1>
      <label>Action{' '}
        <input value={action} onChange={(e) => setAction(e.target.value)} placeholder="e.g. key_changed"
               data-testid="audit-action" />
      </label>
      {error ? <Notice tone="error">{error}</Notice> : null}
      {!entries && !error ? <p className="muted"><Spinner /> Loading…</p> : null}
      {entries && !entries.length ? <EmptyState title="Nothing recorded yet" /> : null}
      {entries && entries.length ? (
        <div className="table-wrap">
          <table className="table" data-testid="audit">
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">From</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-row" data-action={e.action}>
                  <td>{new Date(e.at).toLocaleString()}</td>
                  <td>{e.actor.email || '—'}</td>
                  <td className="mono">{e.action}</td>
                  <td className="mono">{e.address}</td>
                  <td className="mono small">{JSON.stringify(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {next ? <button type="button" onClick={() => void load(next)} data-testid="audit-more">Older entries</button> : null}
    </div>
  );
}
