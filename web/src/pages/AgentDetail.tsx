// One agent: its phone numbers, campaigns, recent calls (with a link to all of them in the call
// log) and its call statistics.

import type { AgentDetail } from '../api/contract';
import { CallsTable } from '../components/CallsTable';
import { CallStatsFacts } from '../components/CallStatsFacts';
import { EmptyState, Notice, Spinner } from '../components/common';
import { MirrorTable } from '../components/MirrorTable';
import { formatDateTime } from '../lib/format';
import { href } from '../lib/route';
import { useRecord } from '../lib/usePaged';

export function AgentDetailPage({ id }: { id: string }) {
  const { data: agent, error } = useRecord<AgentDetail>(`/api/agents/${encodeURIComponent(id)}`);
  return (
    <div className="page">
      <p><a href={href('agents')}>← Agents</a></p>
      <h1 data-testid="agent-name">{agent ? agent.name || agent.upstream_id : 'Agent'}</h1>
      {error ? <Notice tone="error">Could not load the agent: {error}</Notice> : null}
      {!agent && !error ? <p className="muted"><Spinner /> Loading…</p> : null}
      {agent ? (
        <>
          <div className="grid">
            <section className="card" aria-labelledby="agent-facts">
              <h2 id="agent-facts">Agent</h2>
              <dl className="facts">
                <dt>Upstream id</dt><dd className="mono">{agent.upstream_id}</dd>
                <dt>Status</dt><dd>{agent.status || '—'}</dd>
                <dt>Created</dt><dd>{formatDateTime(agent.created_at)}</dd>
                <dt>Updated</dt><dd>{formatDateTime(agent.updated_at)}</dd>
              </dl>
            </section>
            <section className="card" aria-labelledby="agent-stats">
              <h2 id="agent-stats">Calls</h2>
              <CallStatsFacts stats={agent.call_stats} />
            </section>
          </div>
          <section className="card wide" aria-labelledby="agent-numbers">
            <h2 id="agent-numbers">Phone numbers</h2>
            {agent.phone_numbers.length
              ? <MirrorTable items={agent.phone_numbers} caption="The agent's phone numbers" testId="agent-numbers" />
              : <EmptyState title="No phone numbers" />}
          </section>
          <section className="card wide" aria-labelledby="agent-campaigns">
            <h2 id="agent-campaigns">Campaigns</h2>
            {agent.campaigns.length
              ? <MirrorTable items={agent.campaigns} detailPage="campaigns" caption="The agent's campaigns" testId="agent-campaigns" />
              : <EmptyState title="No campaigns" />}
          </section>
          <section className="card wide" aria-labelledby="agent-calls">
            <div className="card-head">
              <h2 id="agent-calls">Recent calls</h2>
              <a href={href('calls', null, { agent_id: agent.upstream_id })} data-testid="agent-all-calls">All calls of this agent</a>
            </div>
            {agent.recent_calls.length
              ? <CallsTable calls={agent.recent_calls} caption="The agent's 10 newest calls" />
              : <EmptyState title="No calls yet" />}
          </section>
        </>
      ) : null}
    </div>
  );
}
