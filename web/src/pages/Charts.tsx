// Charts: calls per day by status over a chosen range, average duration and cost per agent, and
// leads created per day by source; each counted by the server (/api/stats/*) and drawn with
// Chart.js, with the figures as a table beside it.

import { useState } from 'react';
import { Bar } from 'react-chartjs-2';
import type { AgentStats, DaysBySource, DaysByStatus } from '../api/contract';
import { ChartFrame, kPalette } from '../components/ChartFrame';
import { Notice, Spinner } from '../components/common';
import { daysAgoIso, formatCost, formatSeconds } from '../lib/calls';
import { useRecord } from '../lib/usePaged';

const kRanges = [7, 30, 90, 365];
const kCommon = { animation: false as const, responsive: true, maintainAspectRatio: false };

export function ChartsPage() {
  const [days, setDays] = useState(30);
  // Rounded to the hour, so that re-renders ask for the same range.
  const from = daysAgoIso(days - 1, Math.floor(Date.now() / 3_600_000) * 3_600_000);
  const calls = useRecord<DaysByStatus>(`/api/stats/calls?from=${encodeURIComponent(from)}`);
  const leads = useRecord<DaysBySource>(`/api/stats/leads?from=${encodeURIComponent(from)}`);
  const agents = useRecord<{ agents: AgentStats[] }>('/api/stats/agents');
  return (
    <div className="page">
      <h1>Charts</h1>
      <div className="segmented" role="group" aria-label="Range">
        {kRanges.map((n) => (
          <button key={n} type="button" aria-pressed={n === days} onClick={() => setDays(n)} data-testid={`charts-range-${n}`}>
            Last {n} days
          </button>
        ))}
      </div>
      {calls.error ? <Notice tone="error">Could not load calls per day: {calls.error}</Notice> : null}
      {calls.data ? <CallsPerDay data={calls.data} /> : calls.error ? null : <p className="muted"><Spinner /> Loading…</p>}
      {agents.error ? <Notice tone="error">Could not load the agents' figures: {agents.error}</Notice> : null}
      {agents.data ? <PerAgent agents={agents.data.agents} /> : null}
      {leads.error ? <Notice tone="error">Could not load leads per day: {leads.error}</Notice> : null}
      {leads.data ? <LeadsPerDay data={leads.data} /> : null}
    </div>
  );
}

function stackedDays<K extends 'by_status' | 'by_source'>(days: { day: string; total: number }[], key: K,
  groups: (d: (typeof days)[number]) => Record<string, number>) {
  const names = [...new Set(days.flatMap((d) => Object.keys(groups(d))))].sort();
  return {
    names,
    data: {
      labels: days.map((d) => d.day.slice(5)),
      datasets: names.map((name, i) => ({
        label: name, data: days.map((d) => groups(d)[name] ?? 0), backgroundColor: kPalette[i % kPalette.length], stack: key,
      })),
    },
  };
}

function CallsPerDay({ data }: { data: DaysByStatus }) {
  const { names, data: chart } = stackedDays(data.days, 'by_status', (d) => (d as DaysByStatus['days'][number]).by_status);
  const total = data.days.reduce((n, d) => n + d.total, 0);
  return (
    <ChartFrame id="chart-calls" testId="chart-calls" total={total} title="Calls per day by status"
      summary={`${total} calls from ${data.days[0]?.day ?? '—'} to ${data.days.at(-1)?.day ?? '—'} (UTC days).`}
      chart={<Bar data={chart} options={{ ...kCommon, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }} />}
      table={
        <table className="table" data-testid="chart-calls-table">
          <thead><tr><th scope="col">Day</th>{names.map((n) => <th key={n} scope="col">{n}</th>)}<th scope="col">Total</th></tr></thead>
          <tbody>{data.days.filter((d) => d.total > 0).map((d) => (
            <tr key={d.day}><th scope="row">{d.day}</th>{names.map((n) => <td key={n}>{d.by_status[n] ?? 0}</td>)}<td>{d.total}</td></tr>
          ))}</tbody>
        </table>
      } />
  );
}

function PerAgent({ agents }: { agents: AgentStats[] }) {
  const labels = agents.map((a) => a.name ?? a.agent_id ?? '(no agent)');
  const chart = {
    labels,
    datasets: [
      { label: 'Average duration (s)', data: agents.map((a) => a.average_duration_s ?? 0), backgroundColor: kPalette[0], yAxisID: 'duration' },
      { label: 'Average cost ($)', data: agents.map((a) => a.average_cost ?? 0), backgroundColor: kPalette[1], yAxisID: 'cost' },
    ],
  };
  const total = agents.reduce((n, a) => n + a.calls, 0);
  return (
    <ChartFrame id="chart-agents" testId="chart-agents" total={total} title="Average duration and cost per agent"
      summary={`${agents.length} agents, ${total} calls; duration on the left axis, cost on the right.`}
      chart={<Bar data={chart} options={{ ...kCommon, scales: {
        duration: { type: 'linear', position: 'left', beginAtZero: true, title: { display: true, text: 'seconds' } },
        cost: { type: 'linear', position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: 'US dollars' } },
      } }} />}
      table={
        <table className="table" data-testid="chart-agents-table">
          <thead><tr><th scope="col">Agent</th><th scope="col">Calls</th><th scope="col">Average duration</th><th scope="col">Average cost</th></tr></thead>
          <tbody>{agents.map((a, i) => (
            <tr key={a.agent_id ?? i}><th scope="row">{labels[i]}</th><td>{a.calls}</td><td>{formatSeconds(a.average_duration_s)}</td><td>{formatCost(a.average_cost)}</td></tr>
          ))}</tbody>
        </table>
      } />
  );
}

function LeadsPerDay({ data }: { data: DaysBySource }) {
  const { names, data: chart } = stackedDays(data.days, 'by_source', (d) => (d as DaysBySource['days'][number]).by_source);
  const total = data.days.reduce((n, d) => n + d.total, 0);
  return (
    <ChartFrame id="chart-leads" testId="chart-leads" total={total} title="Leads created per day by source"
      summary={`${total} leads created from ${data.days[0]?.day ?? '—'} to ${data.days.at(-1)?.day ?? '—'} (UTC days).`}
      chart={<Bar data={chart} options={{ ...kCommon, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }} />}
      table={
        <table className="table" data-testid="chart-leads-table">
          <thead><tr><th scope="col">Day</th>{names.map((n) => <th key={n} scope="col">{n}</th>)}<th scope="col">Total</th></tr></thead>
          <tbody>{data.days.filter((d) => d.total > 0).map((d) => (
            <tr key={d.day}><th scope="row">{d.day}</th>{names.map((n) => <td key={n}>{d.by_source[n] ?? 0}</td>)}<td>{d.total}</td></tr>
          ))}</tbody>
        </table>
      } />
  );
}
