// An agent's or a campaign's calls in figures: how many, by status, average duration and cost.

import type { CallStats } from '../api/contract';
import { formatCost, formatSeconds } from '../lib/calls';

export function CallStatsFacts({ stats }: { stats: CallStats }) {
  const statuses = Object.entries(stats.by_status);
  return (
    <dl className="facts" data-testid="call-stats">
      <dt>Calls</dt><dd data-testid="call-stats-calls">{stats.calls}</dd>
      <dt>By status</dt>
      <dd>{statuses.length ? statuses.map(([s, n]) => `${s}: ${n}`).join(' · ') : '—'}</dd>
      <dt>Average duration</dt><dd>{formatSeconds(stats.average_duration_s)}</dd>
      <dt>Average cost</dt><dd>{formatCost(stats.average_cost)}</dd>
      <dt>Total cost</dt><dd>{formatCost(stats.total_cost)}</dd>
    </dl>
  );
}
