// Points every agent of the voice account at the tenant's call-webhook URL, or takes the URL off
// again (POST /api/tenant/call-webhook/agents), then shows what happened to each agent. This
// changes the tenant's own Bolna agents, not just tenantsync, so nothing is sent until the person
// has read what will happen and confirmed it.

import { useEffect, useRef, useState } from 'react';
import type { AgentWebhookOutcome, AgentWebhookReport, AgentWebhookRequest } from '../api/contract';
import { useSession } from '../state/session';
import { errorText, Notice, Spinner } from './common';

type Change = 'enable' | 'disable';

const kOutcomeText: Record<AgentWebhookOutcome['outcome'], string> = {
  set: 'Set',
  already_set: 'Already set',
  replaced: 'Replaced',
  kept_other: 'Kept its own URL',
  cleared: 'Cleared',
  not_set: 'Not set',
  failed: 'Failed',
};

function counted(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/// One line for the whole report, e.g. "3 agents changed, 1 kept its own webhook URL, 0 failed."
/// Changed and failed always show (a 0 there is news); the others only when some agent had them.
export function agentWebhookSummary(report: AgentWebhookReport): string {
  if (!report.agents.length) return 'The voice account has no agents, so nothing was changed.';
  const parts = [`${counted(report.changed, 'agent', 'agents')} changed`];
  if (report.unchanged) {
    parts.push(`${report.unchanged} ${report.enabled ? 'already sent calls here' : 'did not send calls here'}`);
  }
  if (report.kept_other) parts.push(`${report.kept_other} kept ${report.kept_other === 1 ? 'its' : 'their'} own webhook URL`);
  parts.push(`${report.failed} failed`);
  return `${parts.join(', ')}.`;
}

/// Why an agent ended as it did, when the outcome alone does not say: the platform's reason for a
/// failure, the other URL an agent kept or lost.
function OutcomeDetail({ agent }: { agent: AgentWebhookOutcome }) {
  if (agent.outcome === 'failed') return <>{agent.message || 'The voice platform gave no reason.'}</>;
  if (!agent.previous_url) return null;
  // One element, so the text and the URL stay one line of words in a phone's stacked table cell.
  if (agent.outcome === 'kept_other') return <span>Sends its calls to <span className="mono url">{agent.previous_url}</span></span>;
  if (agent.outcome === 'replaced') return <span>Was <span className="mono url">{agent.previous_url}</span></span>;
  return null;
}

function AgentOutcomesTable({ agents }: { agents: AgentWebhookOutcome[] }) {
  return (
    <div className="table-wrap">
      <table className="table" data-testid="agents-webhook-report">
        <thead>
          <tr><th>Agent</th><th>Outcome</th><th>Details</th></tr>
        </thead>
        <tbody>
          {agents.map((agent) => (
            <tr key={agent.agent_id} data-testid="agents-webhook-row" data-agent-id={agent.agent_id} data-outcome={agent.outcome}>
              <td data-label="Agent">{agent.name || agent.agent_id}</td>
              <td data-label="Outcome">{kOutcomeText[agent.outcome] ?? agent.outcome}</td>
              <td data-label="Details"><OutcomeDetail agent={agent} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/// What the change will do, in words, and the one choice it has; the request goes out only from
/// its confirm button.
function ConsentStep({ change, onConfirm, onCancel }: {
  change: Change;
  onConfirm: (replaceOthers: boolean) => void;
  onCancel: () => void;
}) {
  const [replaceOthers, setReplaceOthers] = useState(false);
  const title = useRef<HTMLHeadingElement>(null);
  const enabling = change === 'enable';

  // Keyboard and screen-reader users land on the question that just appeared.
  useEffect(() => title.current?.focus(), []);

  return (
    <div className="subform" role="group" aria-labelledby="agents-webhook-consent-title" data-testid="agents-webhook-consent">
      <h3 id="agents-webhook-consent-title" ref={title} tabIndex={-1}>
        {enabling ? 'Send calls here from every agent?' : 'Stop agents sending calls here?'}
      </h3>
      {enabling ? (
        <p>
          tenantsync will change the webhook URL of <strong>every agent of your Bolna account</strong> to the URL
          above, through the Bolna API. Bolna then sends each call's status changes here as they happen. Agents whose
          webhook URL points elsewhere keep it, unless you tick the box below.
        </p>
      ) : (
        <p>
          tenantsync will remove the URL above from <strong>every agent of your Bolna account</strong> that has it,
          through the Bolna API. Their calls then reach tenantsync at the next sync instead. Agents whose webhook URL
          points elsewhere are left alone.
        </p>
      )}
      {enabling ? (
        <div className="field">
          <label className="inline">
            <input
              type="checkbox"
              checked={replaceOthers}
              onChange={(e) => setReplaceOthers(e.target.checked)}
              data-testid="agents-webhook-replace-others"
            />
            Also replace webhook URLs that point elsewhere
          </label>
          {replaceOthers ? (
            <p className="hint">Whatever receives those agents' calls now stops receiving them.</p>
          ) : null}
        </div>
      ) : null}
      <div className="actions">
        <button type="button" className="primary" onClick={() => onConfirm(enabling && replaceOthers)} data-testid="agents-webhook-confirm">
          {enabling ? 'Change every agent' : 'Remove the URL from the agents'}
        </button>
        <button type="button" onClick={onCancel} data-testid="agents-webhook-cancel">Cancel</button>
      </div>
    </div>
  );
}

/// The buttons, the consent step and the report, inside the call-webhook card. `voiceKeySet` is
/// undefined while the settings load.
export function AgentsCallWebhook({ voiceKeySet }: { voiceKeySet: boolean | undefined }) {
  const { api } = useSession();
  const [asking, setAsking] = useState<Change | null>(null);
  const [running, setRunning] = useState<Change | null>(null);
  const [report, setReport] = useState<AgentWebhookReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  function ask(change: Change) {
    setAsking(change);
    setError(null);
  }

  async function run(change: Change, replaceOthers: boolean) {
    setAsking(null);
    setRunning(change);
    setReport(null);
    setError(null);
    const body: AgentWebhookRequest = { enabled: change === 'enable', replace_others: replaceOthers };
    try {
      setReport(await api.post<AgentWebhookReport>('/api/tenant/call-webhook/agents', body));
    } catch (e) {
      setError(`Could not change the agents: ${errorText(e)}`);
    } finally {
      setRunning(null);
    }
  }

  const idle = voiceKeySet === true && running === null;
  return (
    <div className="agents-webhook">
      <div className="actions">
        <button type="button" onClick={() => ask('enable')} disabled={!idle} aria-busy={running === 'enable'} data-testid="agents-webhook-enable">
          {running === 'enable' ? <><Spinner /> Changing the agents…</> : 'Send calls here from every agent…'}
        </button>
        <button type="button" onClick={() => ask('disable')} disabled={!idle} aria-busy={running === 'disable'} data-testid="agents-webhook-disable">
          {running === 'disable' ? <><Spinner /> Changing the agents…</> : 'Stop agents sending calls here…'}
        </button>
      </div>
      {voiceKeySet === false ? (
        <p className="hint" data-testid="agents-webhook-needs-key">Save a voice API key first: tenantsync changes the agents through it.</p>
      ) : null}
      {asking ? (
        <ConsentStep key={asking} change={asking} onConfirm={(replaceOthers) => run(asking, replaceOthers)} onCancel={() => setAsking(null)} />
      ) : null}
      {/* The summary line is read out; the table is there to look through, not to be announced. */}
      <div aria-live="polite">
        {error ? <Notice tone="error" testId="agents-webhook-error">{error}</Notice> : null}
        {report ? (
          <Notice tone={report.failed ? 'warning' : 'success'} testId="agents-webhook-summary">{agentWebhookSummary(report)}</Notice>
        ) : null}
      </div>
      {report?.agents.length ? <AgentOutcomesTable agents={report.agents} /> : null}
    </div>
  );
}
