// Sync history: the runs with trigger, duration, counts and errors; a run's detail; a held
// run's plan with Confirm and Cancel.

import { useCallback, useEffect, useState } from 'react';
import type { Page, Run } from '../api/types';
import { EmptyState, errorText, Notice, Spinner } from '../components/common';
import { HeldPlan, type HeldDecision } from '../components/HeldPlan';
import {
  describeChanges, describeProgress, describeResourceCounts, describeSyncResponse, formatDateTime,
  formatDuration, resourceTitle, targetLabel, triggerLabel,
} from '../lib/format';
import { href } from '../lib/route';
import { useLiveEvent } from '../state/live';
import { useSession } from '../state/session';

const kStateLabels: Record<string, string> = {
  queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed', held: 'Held', cancelled: 'Cancelled',
};

export function HistoryPage({ runId }: { runId: string | null }) {
  const { api } = useSession();
  const [runs, setRuns] = useState<Run[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);

  const load = useCallback(async () => {
    try {
      const r = await api.get<Page<Run>>('/api/sync/runs?limit=25');
      setRuns(r.items ?? []);
      setNext(r.next);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api]);

  useEffect(() => {
    void load();
  }, [load]);
  useLiveEvent('run.started', () => void load());
  useLiveEvent('run.finished', () => void load());

  async function more() {
    if (!next) return;
    setLoadingMore(true);
    try {
      const r = await api.get<Page<Run>>(`/api/sync/runs?limit=25&cursor=${encodeURIComponent(next)}`);
      setRuns((old) => [...(old ?? []), ...(r.items ?? [])]);
      setNext(r.next);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <div className="page">
      <h1>Sync history</h1>
      {runId ? <RunDetail runId={runId} onChanged={load} /> : null}
      <section className="card wide" aria-labelledby="runs-title">
        <h2 id="runs-title">Runs</h2>
        {error ? <Notice tone="error">Could not load the sync history: {error}</Notice> : null}
        {!runs && !error ? <p className="muted"><Spinner /> Loading runs…</p> : null}
        {runs && !runs.length ? (
          <EmptyState title="No syncs yet">Save a voice API key or press ↻ on Settings to run the first sync.</EmptyState>
        ) : null}
        {runs && runs.length ? (
          <div className="table-wrap">
            <table className="table runs">
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">What</th>
                  <th scope="col">Trigger</th>
                  <th scope="col">State</th>
                  <th scope="col">Duration</th>
                  <th scope="col">Changes</th>
                  <th scope="col"><span className="sr-only">Details</span></th>
                </tr>
              </thead>
              <tbody>
                {runs.map((run) => (
                  <tr key={String(run.id)} data-testid="run-row" data-run-id={String(run.id)} data-state={run.state}
                      className={String(run.id) === runId ? 'selected' : undefined}>
                    <td data-label="Started">{formatDateTime(run.started_at ?? run.created_at)}</td>
                    <td data-label="What">{targetLabel(run.target)}{run.dry_run ? ' (dry run)' : ''}</td>
                    <td data-label="Trigger">{triggerLabel(run.trigger)}</td>
                    <td data-label="State"><span className={`badge badge-${run.state}`}>{kStateLabels[run.state] ?? run.state}</span></td>
                    <td data-label="Duration">{formatDuration(run.duration_ms)}</td>
                    <td data-label="Changes">
                      {run.state === 'held' && run.error ? <span className="warning-text">{run.error.message}</span>
                        : run.error ? <span className="error-text">{run.error.message}</span> : describeChanges(run.counts)}
                    </td>
                    <td><a href={href('history', run.id)} aria-label={`Details of run ${run.id}`}>Details</a></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        {next ? (
          <div className="actions">
            <button type="button" onClick={more} disabled={loadingMore}>{loadingMore ? <Spinner /> : null} Load more</button>
          </div>
        ) : null}
      </section>
    </div>
  );
}

function RunDetail({ runId, onChanged }: { runId: string; onChanged(): void }) {
  const { api } = useSession();
  const [run, setRun] = useState<Run | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [decision, setDecision] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setRun(await api.get<Run>(`/api/sync/runs/${encodeURIComponent(runId)}`));
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api, runId]);

  useEffect(() => {
    setRun(null);
    setDecision(null);
    void load();
  }, [load]);
  useLiveEvent<{ run_id: string | number }>('run.finished', (d) => {
    if (String(d.run_id) === runId) void load();
  });
  useLiveEvent<{ run_id: string | number }>('run.progress', (d) => {
    if (String(d.run_id) === runId && run?.state !== 'running') void load();
  });

  function decided(d: HeldDecision) {
    if ('cancelled' in d) setDecision('Sync cancelled: nothing was changed.');
    else {
      const o = describeSyncResponse(d.confirmed);
      setDecision(o.kind === 'completed' ? `${o.text}: ${o.changes}` : o.text);
    }
    void load();
    onChanged();
  }

  return (
    <section className="card wide" aria-labelledby="run-detail-title" data-testid="run-detail">
      <div className="card-head">
        <h2 id="run-detail-title">Run {runId}</h2>
        <a href={href('history')}>Close</a>
      </div>
      {error ? <Notice tone="error">Could not load this run: {error}</Notice> : null}
      {!run && !error ? <p className="muted"><Spinner /> Loading…</p> : null}
      {decision ? <Notice tone="info" testId="run-decision">{decision}</Notice> : null}
      {run ? (
        <>
          <dl className="facts">
            <div><dt>What</dt><dd>{targetLabel(run.target)}{run.dry_run ? ' (dry run)' : ''}</dd></div>
            <div><dt>Trigger</dt><dd>{triggerLabel(run.trigger)}</dd></div>
            <div><dt>State</dt><dd data-testid="run-state">{kStateLabels[run.state] ?? run.state}</dd></div>
            <div><dt>Started</dt><dd>{formatDateTime(run.started_at ?? run.created_at)}</dd></div>
            <div><dt>Finished</dt><dd>{formatDateTime(run.finished_at)}</dd></div>
            <div><dt>Duration</dt><dd>{formatDuration(run.duration_ms)}</dd></div>
          </dl>
          {run.state === 'running' ? <p><Spinner /> {describeProgress(run.progress)}</p> : null}
          {run.error ? (
            // A held run's "error" is the guard's reason to wait, not a failure.
            <Notice tone={run.state === 'held' ? 'warning' : 'error'}>
              {run.error.message} <span className="muted">({run.error.code})</span>
            </Notice>
          ) : null}
          {run.counts && Object.keys(run.counts).length ? (
            <>
              {run.state === 'held' ? <p className="muted" data-testid="run-planned">Planned, not applied until you confirm:</p> : null}
              <ul className="plain">
                {Object.entries(run.counts).map(([resource, c]) => (
                  <li key={resource}><strong>{resourceTitle(resource)}:</strong> {describeResourceCounts(c)}</li>
                ))}
              </ul>
            </>
          ) : null}
          {run.warnings?.length ? (
            <Notice tone="warning">
              {run.warnings.map((w) => <span className="block" key={w}>{w}</span>)}
            </Notice>
          ) : null}
          {run.state === 'held' ? <HeldPlan runId={run.id} plan={run.plan ?? null} onDecided={decided} /> : null}
        </>
      ) : null}
    </section>
  );
}
