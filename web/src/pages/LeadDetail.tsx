// One lead: every field, its lineage (source, CRM connection, match reason, the runs that
// created and last changed it) and its calls: the executions to or from its E.164 number.

import type { Call, LeadDetail, LineageRun } from '../api/contract';
import { CallsTable } from '../components/CallsTable';
import { EmptyState, Notice, Spinner } from '../components/common';
import { Pager } from '../components/Pager';
import { formatDateTime } from '../lib/format';
import { href } from '../lib/route';
import { usePaged, useRecord } from '../lib/usePaged';

const kMatchReasons: Record<string, string> = {
  crm_id: 'the CRM id of a lead it had before',
  phone: 'the same phone number as an existing lead',
  email: 'the same e-mail as an existing lead',
  new: 'no existing lead: created',
  manual: 'added by hand',
};

export function LeadDetailPage({ id }: { id: string }) {
  const { data: lead, error } = useRecord<LeadDetail>(`/api/leads/${encodeURIComponent(id)}`);
  const calls = usePaged<Call>(`/api/leads/${encodeURIComponent(id)}/calls?limit=25`);
  return (
    <div className="page">
      <p><a href={href('leads')}>← Leads</a></p>
      <h1 data-testid="lead-name">{lead ? lead.name || '(no name)' : 'Lead'}</h1>
      {error ? <Notice tone="error">Could not load the lead: {error}</Notice> : null}
      {!lead && !error ? <p className="muted"><Spinner /> Loading…</p> : null}
      {lead ? (
        <div className="grid">
          <section className="card" aria-labelledby="lead-fields">
            <h2 id="lead-fields">Fields</h2>
            <dl className="facts" data-testid="lead-fields">
              <dt>Phone</dt><dd className="mono" data-testid="lead-phone">{lead.phone_e164 ?? '—'}{lead.phone_raw && lead.phone_raw !== lead.phone_e164 ? ` (as typed: ${lead.phone_raw})` : ''}{!lead.phone_valid && lead.phone_raw ? ' — not a valid number' : ''}</dd>
              <dt>E-mail</dt><dd>{lead.email ?? '—'}</dd>
              <dt>Owner</dt><dd>{[lead.crm_owner, lead.crm_owner_email].filter(Boolean).join(' · ') || '—'}</dd>
              <dt>Status</dt><dd>{lead.crm_status ?? '—'}</dd>
              <dt>Stage</dt><dd>{lead.crm_stage ?? '—'}</dd>
              <dt>Description</dt><dd>{lead.crm_description ?? '—'}</dd>
              <dt>Last activity</dt><dd>{formatDateTime(lead.crm_last_activity_at)}</dd>
              <dt>Archived in CRM</dt><dd>{lead.crm_archived_at ? formatDateTime(lead.crm_archived_at) : 'No'}</dd>
              <dt>Created</dt><dd>{formatDateTime(lead.created_at)}</dd>
              <dt>Updated</dt><dd>{formatDateTime(lead.updated_at)}</dd>
            </dl>
          </section>
          <section className="card" aria-labelledby="lead-lineage">
            <h2 id="lead-lineage">Lineage</h2>
            <dl className="facts" data-testid="lead-lineage">
              <dt>Source</dt><dd>{lead.lineage.source === 'crm' ? `CRM (${lead.crm_provider ?? 'unknown'})` : 'Manual'}</dd>
              <dt>CRM connection</dt>
              <dd>{lead.lineage.crm_connection
                ? `${lead.lineage.crm_connection.provider} ${lead.lineage.crm_connection.provider_account_id ?? ''} (${lead.lineage.crm_connection.active ? lead.lineage.crm_connection.state ?? 'active' : 'disconnected'})`
                : '—'}</dd>
              <dt>CRM id</dt><dd className="mono">{lead.lineage.crm_id ?? '—'}</dd>
              <dt>Matched by</dt><dd>{lead.lineage.match_reason ? kMatchReasons[lead.lineage.match_reason] ?? lead.lineage.match_reason : '—'}</dd>
              <dt>Created by</dt><dd><RunLink run={lead.lineage.created_run} /></dd>
              <dt>Last changed by</dt><dd><RunLink run={lead.lineage.updated_run} /></dd>
            </dl>
          </section>
        </div>
      ) : null}
      <section className="card wide" aria-labelledby="lead-calls">
        <h2 id="lead-calls">Calls with this lead</h2>
        {calls.error ? <Notice tone="error">Could not load the calls: {calls.error}</Notice> : null}
        {!calls.items && !calls.error ? <p className="muted"><Spinner /> Loading…</p> : null}
        {calls.items && !calls.items.length ? (
          <EmptyState title="No calls">{lead && !lead.phone_e164 ? 'The lead has no valid phone number to match calls by.' : 'No call to or from this number was synced.'}</EmptyState>
        ) : null}
        {calls.items && calls.items.length ? (
          <>
            <CallsTable calls={calls.items} caption="Calls to or from the lead's number, newest first" />
            <Pager shown={calls.items.length} next={calls.next} loading={calls.loading} onMore={calls.loadMore} what="calls" />
          </>
        ) : null}
      </section>
    </div>
  );
}

function RunLink({ run }: { run: LineageRun }) {
  if (!run) return <>—</>;
  return <a href={href('history', run.id)}>Run {run.id}</a>;
}
