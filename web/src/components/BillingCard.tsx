// The Settings "Billing & Plan" card: the counts, the ↻ button that syncs the voice platform
// now (members and above), the sync status, and the result or the held plan.

import { useRef, useState } from 'react';
import { callSync } from '../api/client';
import type { Plan, Run, RunFinishedEvent, SyncResponse } from '../api/types';
import { describeSyncResponse, outcomeFromRun, type SyncOutcome } from '../lib/format';
import { useLiveEvent } from '../state/live';
import { useCanCall } from '../state/role';
import { useSession } from '../state/session';
import { useSummary } from '../state/summary';
import { errorText, Notice, Spinner } from './common';
import { Counts } from './Counts';
import { HeldPlan, type HeldDecision } from './HeldPlan';
import { SyncStatus } from './SyncStatus';

interface Held {
  runId: string | number;
  plan: Plan | null;
}

export function BillingCard() {
  const { api } = useSession();
  const { summary, refresh } = useSummary();
  const canSync = useCanCall('syncNow');
  const [running, setRunning] = useState(false);
  const [outcome, setOutcome] = useState<SyncOutcome | null>(null);
  const [held, setHeld] = useState<Held | null>(null);
  const waitingFor = useRef<string | null>(null);
  // Runs decided here, so that a summary read before the decision does not show them again.
  const decidedRuns = useRef(new Set<string>());

  function show(r: SyncResponse) {
    const o = describeSyncResponse(r);
    if (o.kind === 'held' && r.run_id !== undefined) {
      setHeld({ runId: r.run_id, plan: r.plan ?? null });
    } else {
      setHeld(null);
    }
    if (o.kind === 'running' && r.run_id !== undefined) {
      // The server stopped waiting; the run.finished event tells the rest.
      waitingFor.current = String(r.run_id);
      setRunning(true);
    } else {
      setRunning(false);
    }
    setOutcome(o);
    void refresh();
  }

  useLiveEvent<RunFinishedEvent>('run.finished', (d) => {
    if (!waitingFor.current || String(d.run_id) !== waitingFor.current) return;
    const id = waitingFor.current;
    waitingFor.current = null;
    api.get<Run>(`/api/sync/runs/${encodeURIComponent(id)}`)
      .then((run) => {
        if (run.state === 'held') setHeld({ runId: run.id, plan: run.plan ?? null });
        setOutcome(outcomeFromRun(run));
      })
      .catch(() => setOutcome(outcomeFromRun(d)))
      .finally(() => setRunning(false));
  });

  async function syncNow() {
    setRunning(true);
    setOutcome(null);
    setHeld(null);
    try {
      show(await callSync(() => api.post<SyncResponse>('/api/tenant/sync', {})));
    } catch (e) {
      setRunning(false);
      setOutcome({ kind: 'failed', text: `Sync failed: ${errorText(e)}` });
    }
  }

  function decided(runId: string | number, d: HeldDecision) {
    decidedRuns.current.add(String(runId));
    setHeld(null);
    if ('cancelled' in d) setOutcome({ kind: 'cancelled', text: 'Sync cancelled: nothing was changed.' });
    else show(d.confirmed);
    void refresh();
  }

  // A run held by another trigger (a saved key, the schedule) is shown here too.
  const summaryHeld = summary?.sync_state === 'held' && summary.last_sync?.state === 'held'
    && !decidedRuns.current.has(String(summary.last_sync.run_id)) ? summary.last_sync.run_id : null;
  const heldRunId = held?.runId ?? summaryHeld;

  return (
    <section className="card" aria-labelledby="billing-title" data-testid="billing-card">
      <div className="card-head">
        <h2 id="billing-title">Billing &amp; Plan</h2>
        {canSync ? (
          <button
            type="button"
            className="icon-button"
            aria-label="Sync now"
            title="Sync now"
            data-testid="sync-button"
            onClick={syncNow}
            disabled={running}
            aria-busy={running}
          >
            {running ? <Spinner /> : <span aria-hidden="true">↻</span>}
          </button>
        ) : null}
      </div>
      <Counts />
      <SyncStatus />
      <div aria-live="polite">
        {running && !outcome ? <p className="muted" data-testid="sync-running"><Spinner /> Syncing with the voice platform…</p> : null}
        {outcome ? (
          <Notice
            tone={outcome.kind === 'completed' ? 'success' : outcome.kind === 'failed' ? 'error'
              : outcome.kind === 'held' || outcome.kind === 'partial' ? 'warning' : 'info'}
            testId="sync-result"
          >
            <strong>{outcome.text}</strong>
            {outcome.kind === 'completed' || outcome.kind === 'partial' ? <span data-testid="sync-changes">: {outcome.changes}</span> : null}
            {outcome.kind === 'partial' ? <span className="block" data-testid="sync-not-read">{outcome.notRead}; they were left as they were.</span> : null}
          </Notice>
        ) : null}
      </div>
      {heldRunId !== null ? (
        <HeldPlan key={String(heldRunId)} runId={heldRunId} plan={held?.plan ?? null} onDecided={(d) => decided(heldRunId, d)} />
      ) : null}
    </section>
  );
}
