// Sync history: the runs with trigger, duration, counts and errors; a run's detail; a held
// run's plan with Confirm and Cancel.

import { useCallback, useEffect, useState } from 'react';
import type { Page, Run } from '../api/types';
import { EmptyState, errorText, Notice, Spinner } from '../components/common';
import { HeldPlan, type HeldDecision } from '../components/HeldPlan';
import {
  describeChanges, describeNotRead, describeProgress, describeResourceCounts, describeSyncResponse, formatDateTime,
  formatDuration, resourcesNotRead, resourceTitle, targetLabel, triggerLabel, warningText,
} from '../lib/format';
import { href } from '../lib/route';
import { useLiveEvent } from '../state/live';
import { useSession } from '../state/session';

const kStateLabels: Record<string, string> = {
  queued: 'Queued', running: 'Running', succeeded: 'Succeeded', failed: 'Failed', held: 'Held', cancelled: 'Cancelled',
};

/// A run's state as shown: a succeeded run that could not read some resources is amber.
function shownState(run: Run): { className: string; label: string } {
  if (run.state === 'succeeded' && resourcesNotRead(run.warnings).length)
    return { className: 'badge-warning', label: 'Succeeded with warnings' };
  return { className: `badge-${run.state}`, label: kStateLabels[run.state] ?? run.state };
}

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
                    <td data-label="State"><span className={`badge ${shownState(run).className}`}>{shownState(run).label}</span></td>
                    <td data-label="Duration">{formatDuration(run.duration_ms)}</td>
                    <td data-label="Changes">
                      {run.state === 'held' && run.error ? <span className="warning-text">{run.error.message}</span>
                        : run.error ? <span className="error-text">{run.error.message}</span> : describeChanges(run.counts)}
                      {run.state === 'succeeded' && describeNotRead(run.warnings)
                        ? <span className="block warning-text" data-testid="run-not-read">{describeNotRead(run.warnings)}</span> : null}
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
            <div><dt>State</dt><dd data-testid="run-state">{shownState(run).label}</dd></div>
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
          {resourcesNotRead(run.warnings).length ? (
            <Notice tone="warning" testId="run-not-read-detail">
              <strong>{describeNotRead(run.warnings)}; they were left as they were.</strong>
              {resourcesNotRead(run.warnings).map((w, i) => (
                <span className="block" key={i}>{w.message} <span className="muted">({w.code})</span></span>
              ))}
            </Notice>
          ) : null}
          {run.warnings?.some((w) => !resourcesNotRead([w]).length) ? (
            <Notice tone="warning">
              {run.warnings.filter((w) => !resourcesNotRead([w]).length)
                .map((w, i) => <span className="block" key={i}>{warningText(w)}</span>)}
            </Notice>
          ) : null}
          {run.state === 'held' ? <HeldPlan runId={run.id} plan={run.plan ?? null} onDecided={decided} /> : null}
        </>
      ) : null}
    </section>
  );
}
