// Calls: the call log, filtered by agent, status, campaign and dates, searched by id or number
// (typed in any format), paged with cursors. The filters live in the link (#/calls?agent_id=…),
// so an agent's or campaign's page links straight to its calls. A call a webhook brings in or
// changes (`executions.changed`) reloads the first page at once; with older pages loaded, a notice
// offers to show the new calls instead of taking the person's place away.

import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Call, ExecutionsChangedEvent, MirrorItem } from '../api/contract';
import { CallsTable } from '../components/CallsTable';
import { EmptyState, Notice, Spinner } from '../components/common';
import { Pager } from '../components/Pager';
import { dateInputToIso } from '../lib/calls';
import { href, queryString } from '../lib/route';
import { usePaged, useRecord } from '../lib/usePaged';
import type { PageOf } from '../api/contract';
import { useLiveEvent } from '../state/live';

/// A burst of webhooks (queued, in progress, completed within a second) is one reload.
export const kCallsReloadDebounceMs = 250;

const kStatuses = ['completed', 'failed', 'busy', 'no-answer', 'canceled', 'in-progress', 'queued', 'error'];
const kFilters = ['agent_id', 'status', 'batch_id', 'from', 'to', 'q'] as const;
type Filters = Partial<Record<(typeof kFilters)[number], string>>;

export function CallsPage({ query }: { query: Record<string, string> }) {
  const filters: Filters = {};
  for (const k of kFilters) if (query[k]) filters[k] = query[k];
  const apiQuery = queryString({
    ...filters, limit: 50,
    from: filters.from ? dateInputToIso(filters.from) : undefined,
    to: filters.to ? dateInputToIso(filters.to, true) : undefined,
  });
  const calls = usePaged<Call>(`/api/executions?${apiQuery}`);
  const agents = useRecord<PageOf<MirrorItem>>('/api/agents?limit=500');
  const campaigns = useRecord<PageOf<MirrorItem>>('/api/campaigns?limit=500');
  const [search, setSearch] = useState(filters.q ?? '');
  useEffect(() => setSearch(filters.q ?? ''), [filters.q]);

  // Calls changed upstream: on the first page, read it again; past it, say so and let the person choose.
  const [newCalls, setNewCalls] = useState(false);
  const debounce = useRef<ReturnType<typeof setTimeout> | null>(null);
  const paged = calls.pages > 1;
  // The timer reads the page as it is when it fires, not as it was when the event came.
  const pagedRef = useRef(paged);
  pagedRef.current = paged;
  const reloadRef = useRef(calls.reload);
  reloadRef.current = calls.reload;
  useLiveEvent<ExecutionsChangedEvent>('executions.changed', () => {
    if (debounce.current) clearTimeout(debounce.current);
    debounce.current = setTimeout(() => {
      debounce.current = null;
      if (pagedRef.current) setNewCalls(true);
      else reloadRef.current();
    }, kCallsReloadDebounceMs);
  });
  useEffect(() => () => {
    if (debounce.current) clearTimeout(debounce.current);
  }, []);
  useEffect(() => {
    if (!paged) setNewCalls(false);
  }, [paged]);
  function showNewCalls() {
    setNewCalls(false);
    calls.reload();
  }

  function setFilter(key: keyof Filters, value: string) {
    window.location.hash = href('calls', null, { ...filters, [key]: value || undefined });
  }
  function submitSearch(e: FormEvent) {
    e.preventDefault();
    setFilter('q', search.trim());
  }

  return (
    <div className="page">
      <h1>Calls</h1>
      <form className="filters" role="search" aria-label="Filter calls" onSubmit={submitSearch}>
        <label className="field">
          <span>Agent</span>
          <select value={filters.agent_id ?? ''} onChange={(e) => setFilter('agent_id', e.target.value)} data-testid="calls-filter-agent">
            <option value="">Any agent</option>
            {(agents.data?.items ?? []).map((a) => <option key={a.id} value={a.upstream_id}>{a.name || a.upstream_id}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Status</span>
          <select value={filters.status ?? ''} onChange={(e) => setFilter('status', e.target.value)} data-testid="calls-filter-status">
            <option value="">Any status</option>
            {kStatuses.map((s) => <option key={s} value={s}>{s}</option>)}
          </select>
        </label>
        <label className="field">
          <span>Campaign</span>
          <select value={filters.batch_id ?? ''} onChange={(e) => setFilter('batch_id', e.target.value)} data-testid="calls-filter-campaign">
            <option value="">Any campaign</option>
            {(campaigns.data?.items ?? []).map((c) => <option key={c.id} value={c.upstream_id}>{c.name || c.upstream_id}</option>)}
          </select>
        </label>
        <label className="field">
          <span>From</span>
          <input type="date" value={filters.from ?? ''} onChange={(e) => setFilter('from', e.target.value)} data-testid="calls-filter-from" />
        </label>
        <label className="field">
          <span>To (inclusive)</span>
          <input type="date" value={filters.to ?? ''} onChange={(e) => setFilter('to', e.target.value)} data-testid="calls-filter-to" />
        </label>
        <label className="field grow">
          <span>Number or id</span>
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)}
                 placeholder="(415) 555-2671, an execution or agent id" maxLength={200} data-testid="calls-search" />
        </label>
        <div className="actions">
          <button type="submit" data-testid="calls-search-submit">Search</button>
          {Object.keys(filters).length ? <a href={href('calls')} data-testid="calls-clear">Clear filters</a> : null}
        </div>
      </form>
      <section className="card wide" aria-label="Call log">
        {calls.error ? <Notice tone="error">Could not load calls: {calls.error}</Notice> : null}
        {newCalls ? (
          <Notice testId="calls-new">
            New calls came in. <button type="button" className="link" onClick={showNewCalls} data-testid="calls-new-show">Show</button>
          </Notice>
        ) : null}
        {!calls.items && !calls.error ? <p className="muted"><Spinner /> Loading…</p> : null}
        {calls.items && !calls.items.length ? (
          <EmptyState title="No calls">
            {Object.keys(filters).length ? 'No call matches these filters.' : 'Save a voice API key in Settings and sync to see calls.'}
          </EmptyState>
        ) : null}
        {calls.items && calls.items.length ? (
          <>
            <CallsTable calls={calls.items} caption="Calls, newest first" />
            <Pager shown={calls.items.length} next={calls.next} loading={calls.loading} onMore={calls.loadMore} what="calls" />
          </>
        ) : null}
      </section>
    </div>
  );
}
