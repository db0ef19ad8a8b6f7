// One campaign: its progress (contacts, calls mirrored, the platform's own counts), call
// statistics and recent calls.

import type { CampaignDetail } from '../api/contract';
import { CallsTable } from '../components/CallsTable';
import { CallStatsFacts } from '../components/CallStatsFacts';
import { EmptyState, Notice, Spinner } from '../components/common';
import { JsonBlock } from '../components/JsonBlock';
import { formatDateTime } from '../lib/format';
import { href } from '../lib/route';
import { useRecord } from '../lib/usePaged';

export function CampaignDetailPage({ id }: { id: string }) {
  const { data: c, error } = useRecord<CampaignDetail>(`/api/campaigns/${encodeURIComponent(id)}`);
  const done = c?.progress.done_fraction;
  return (
    <div className="page">
      <p><a href={href('campaigns')}>← Campaigns</a></p>
      <h1 data-testid="campaign-name">{c ? c.name || c.upstream_id : 'Campaign'}</h1>
      {error ? <Notice tone="error">Could not load the campaign: {error}</Notice> : null}
      {!c && !error ? <p className="muted"><Spinner /> Loading…</p> : null}
      {c ? (
        <>
          <div className="grid">
            <section className="card" aria-labelledby="campaign-progress">
              <h2 id="campaign-progress">Progress</h2>
              {done !== null && done !== undefined ? (
                <>
                  <progress max={1} value={done} aria-label="Share of contacts called" data-testid="campaign-progress-bar" />
                  <p>{Math.round(done * 100)}% of contacts called</p>
                </>
              ) : <p className="muted">The platform sent no contact count.</p>}
              <dl className="facts">
                <dt>Contacts</dt><dd>{String(c.progress.total_contacts ?? '—')}</dd>
                <dt>Valid contacts</dt><dd>{String(c.progress.valid_contacts ?? '—')}</dd>
                <dt>Calls mirrored</dt><dd data-testid="campaign-calls">{c.progress.calls_mirrored}</dd>
                <dt>Status</dt><dd>{c.status || '—'}</dd>
                <dt>Agent</dt><dd className="mono">{c.agent_id ?? '—'}</dd>
                <dt>Created</dt><dd>{formatDateTime(c.created_at)}</dd>
              </dl>
              <h3 className="small">The platform's counts</h3>
              <JsonBlock value={c.progress.platform_status_counts} />
            </section>
            <section className="card" aria-labelledby="campaign-stats">
              <h2 id="campaign-stats">Calls</h2>
              <CallStatsFacts stats={c.call_stats} />
            </section>
          </div>
          <section className="card wide" aria-labelledby="campaign-calls">
            <div className="card-head">
              <h2 id="campaign-calls">Recent calls</h2>
              <a href={href('calls', null, { batch_id: c.upstream_id })}>All calls of this campaign</a>
            </div>
            {c.recent_calls.length ? <CallsTable calls={c.recent_calls} caption="The campaign's 10 newest calls" /> : <EmptyState title="No calls yet" />}
          </section>
        </>
      ) : null}
    </div>
  );
}
