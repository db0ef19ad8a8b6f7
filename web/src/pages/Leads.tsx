// Leads: search by name, e-mail or phone (typed in any format), filter by source, owner, status,
// stage, CRM connection and archived in the CRM, sort, and page with cursors. Filters live in the
// link (#/leads?q=…), like the call log's.

import { useEffect, useState, type FormEvent } from 'react';
import type { CrmConnectionRow, LeadRow } from '../api/contract';
import { EmptyState, Notice, Spinner } from '../components/common';
import { Pager } from '../components/Pager';
import { formatDateTime } from '../lib/format';
import { href, queryString } from '../lib/route';
import { usePaged, useRecord } from '../lib/usePaged';

const kFilters = ['q', 'source', 'owner', 'status', 'stage', 'connection_id', 'archived', 'sort', 'order'] as const;
type Filters = Partial<Record<(typeof kFilters)[number], string>>;

export function LeadsPage({ query }: { query: Record<string, string> }) {
  const filters: Filters = {};
  for (const k of kFilters) if (query[k]) filters[k] = query[k];
  const leads = usePaged<LeadRow>(`/api/leads?${queryString({ ...filters, limit: 50 })}`);
  const crm = useRecord<{ connections: CrmConnectionRow[] }>('/api/crm/status');
  const [text, setText] = useState({ q: filters.q ?? '', owner: filters.owner ?? '', status: filters.status ?? '', stage: filters.stage ?? '' });
  useEffect(() => setText({ q: filters.q ?? '', owner: filters.owner ?? '', status: filters.status ?? '', stage: filters.stage ?? '' }),
    [filters.q, filters.owner, filters.status, filters.stage]);

  function go(next: Filters) {
    window.location.hash = href('leads', null, next);
  }
  function setFilter(key: keyof Filters, value: string) {
    go({ ...filters, [key]: value || undefined });
  }
  function submit(e: FormEvent) {
    e.preventDefault();
    go({ ...filters, q: text.q.trim() || undefined, owner: text.owner.trim() || undefined,
         status: text.status.trim() || undefined, stage: text.stage.trim() || undefined });
  }

  return (
    <div className="page">
      <h1>Leads</h1>
      <form className="filters" role="search" aria-label="Filter leads" onSubmit={submit}>
        <label className="field grow">
          <span>Search</span>
          <input type="search" value={text.q} onChange={(e) => setText({ ...text, q: e.target.value })} maxLength={200}
                 placeholder="Name, e-mail or phone in any format" data-testid="leads-search" />
        </label>
        <label className="field">
          <span>Source</span>
          <select value={filters.source ?? ''} onChange={(e) => setFilter('source', e.target.value)} data-testid="leads-filter-source">
            <option value="">Any</option><option value="crm">CRM</option><option value="manual">Manual</option>
          </select>
        </label>
        <label className="field">
          <span>Owner</span>
          <input value={text.owner} onChange={(e) => setText({ ...text, owner: e.target.value })} placeholder="Name or e-mail" data-testid="leads-filter-owner" />
        </label>
        <label className="field">
          <span>Status</span>
          <input value={text.status} onChange={(e) => setText({ ...text, status: e.target.value })} data-testid="leads-filter-status" />
        </label>
        <label className="field">
          <span>Stage</span>
          <input value={text.stage} onChange={(e) => setText({ ...text, stage: e.target.value })} data-testid="leads-filter-stage" />
        </label>
        <label className="field">
          <span>CRM connection</span>
          <select value={filters.connection_id ?? ''} onChange={(e) => setFilter('connection_id', e.target.value)} data-testid="leads-filter-connection">
            <option value="">Any</option>
            {(crm.data?.connections ?? []).map((c) => <option key={c.id} value={String(c.id)}>{c.provider} {c.account_id}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Archived in CRM</span>
          <select value={filters.archived ?? ''} onChange={(e) => setFilter('archived', e.target.value)} data-testid="leads-filter-archived">
            <option value="">Either</option><option value="false">Not archived</option><option value="true">Archived</option>
          </select>
        </label>
        <label className="field">
          <span>Sort by</span>
          <select value={filters.sort ?? 'created_at'} onChange={(e) => setFilter('sort', e.target.value === 'created_at' ? '' : e.target.value)} data-testid="leads-sort">
            <option value="created_at">Created</option><option value="updated_at">Updated</option><option value="last_activity_at">Last activity</option>
          </select>
        </label>
        <label className="field">
          <span>Order</span>
          <select value={filters.order ?? 'desc'} onChange={(e) => setFilter('order', e.target.value === 'desc' ? '' : e.target.value)} data-testid="leads-order">
            <option value="desc">Newest first</option><option value="asc">Oldest first</option>
          </select>
        </label>
        <div className="actions">
          <button type="submit" data-testid="leads-search-submit">Search</button>
          {Object.keys(filters).length ? <a href={href('leads')}>Clear filters</a> : null}
        </div>
      </form>
      <section className="card wide" aria-label="Leads">
        {leads.error ? <Notice tone="error">Could not load leads: {leads.error}</Notice> : null}
        {!leads.items && !leads.error ? <p className="muted"><Spinner /> Loading…</p> : null}
        {leads.items && !leads.items.length ? (
          <EmptyState title="No leads">{Object.keys(filters).length ? 'No lead matches these filters.' : 'Connect a CRM or add a lead on the Dashboard.'}</EmptyState>
        ) : null}
        {leads.items && leads.items.length ? (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="leads-table">
                <caption className="sr-only">Leads</caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th><th scope="col">Phone</th><th scope="col">E-mail</th><th scope="col">Source</th>
                    <th scope="col">Owner</th><th scope="col">Status</th><th scope="col">Stage</th><th scope="col">Created</th>
                  </tr>
                </thead>
                <tbody>
                  {leads.items.map((l) => (
                    <tr key={l.id} data-testid="lead-row" data-id={String(l.id)}>
                      <td data-label="Name"><a href={href('leads', l.id)} data-testid="lead-link">{l.name || '(no name)'}</a>
                        {l.crm_archived_at ? <span className="badge"> archived in CRM</span> : null}</td>
                      <td data-label="Phone" className="mono small">{l.phone_e164 ?? l.phone_raw ?? '—'}</td>
                      <td data-label="E-mail">{l.email ?? '—'}</td>
                      <td data-label="Source">{l.source === 'crm' ? l.crm_provider ?? 'CRM' : 'manual'}</td>
                      <td data-label="Owner">{l.crm_owner ?? l.crm_owner_email ?? '—'}</td>
                      <td data-label="Status">{l.crm_status ?? '—'}</td>
                      <td data-label="Stage">{l.crm_stage ?? '—'}</td>
                      <td data-label="Created">{formatDateTime(l.created_at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager shown={leads.items.length} next={leads.next} loading={leads.loading} onMore={leads.loadMore} what="leads" />
          </>
        ) : null}
      </section>
    </div>
  );
}
