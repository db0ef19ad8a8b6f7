// A table of calls (the call log, an agent's or campaign's recent calls, a lead's calls): each row
// links to the call's detail, its agent and its campaign.

import type { Call } from '../api/contract';
import { callNumber, directionLabel, formatCost, formatSeconds } from '../lib/calls';
import { formatDateTime } from '../lib/format';
import { href } from '../lib/route';

export function CallsTable({ calls, caption }: { calls: Call[]; caption: string }) {
  return (
    <div className="table-wrap">
      <table className="table calls" data-testid="calls-table">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Agent</th>
            <th scope="col">Direction</th>
            <th scope="col">From → to</th>
            <th scope="col">Duration</th>
            <th scope="col">Status</th>
            <th scope="col">Cost</th>
            <th scope="col">Campaign</th>
          </tr>
        </thead>
        <tbody>
          {calls.map((c) => (
            <tr key={c.id} data-testid="call-row" data-id={String(c.id)} data-upstream-id={c.upstream_id}
                data-status={c.status}>
              <td data-label="Time"><a href={href('calls', c.id)} data-testid="call-link">{formatDateTime(c.created_at)}</a></td>
              <td data-label="Agent">
                {c.agent.id !== null
                  ? <a href={href('agents', c.agent.id)}>{c.agent.name || c.agent.upstream_id}</a>
                  : <span className="mono">{c.agent.upstream_id ?? '—'}</span>}
              </td>
              <td data-label="Direction">{directionLabel(c)}</td>
              <td data-label="From → to" className="mono small">
                {callNumber(c.from_number, c.from_e164)} → {callNumber(c.to_number, c.to_e164)}
              </td>
              <td data-label="Duration">{formatSeconds(c.duration_s)}</td>
              <td data-label="Status"><span className="badge">{c.status || '—'}</span></td>
              <td data-label="Cost">{formatCost(c.cost)}</td>
              <td data-label="Campaign">
                {c.campaign
                  ? (c.campaign.id !== null
                    ? <a href={href('campaigns', c.campaign.id)}>{c.campaign.name || c.campaign.upstream_id}</a>
                    : <span className="mono">{c.campaign.upstream_id}</span>)
                  : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
