// A held run's plan (what it would archive, by resource, with names) and Confirm / Cancel, which
// only admins may use; below admin the plan shows with whom to ask instead.

import { useEffect, useState } from 'react';
import { callSync } from '../api/client';
import type { Plan, Run, SyncResponse } from '../api/types';
import { resourceCount, resourceTitle } from '../lib/format';
import { useCanCall } from '../state/role';
import { useSession } from '../state/session';
import { errorText, Notice, Spinner } from './common';

export type HeldDecision = { confirmed: SyncResponse } | { cancelled: true };

interface Props {
  runId: string | number;
  /// The plan when the caller already has it (the 409 body); otherwise it is read from the run.
  plan?: Plan | null;
  onDecided(decision: HeldDecision): void;
}

export function HeldPlan({ runId, plan: given, onDecided }: Props) {
  const { api } = useSession();
  const canConfirm = useCanCall('confirmRun');
  const canCancel = useCanCall('cancelRun');
  const [plan, setPlan] = useState<Plan | null>(given ?? null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<'confirm' | 'cancel' | null>(null);

  useEffect(() => {
    if (given) {
      setPlan(given);
      return;
    }
    let live = true;
    api.get<Run>(`/api/sync/runs/${encodeURIComponent(String(runId))}`)
      .then((run) => live && setPlan(run.plan ?? { resources: {} }))
      .catch((e) => live && setError(`Could not load the plan: ${errorText(e)}`));
    return () => {
      live = false;
    };
  }, [api, runId, given]);

  async function confirm() {
    setBusy('confirm');
    setError(null);
    try {
      const r = await callSync(() =>
        api.post<SyncResponse>(`/api/sync/runs/${encodeURIComponent(String(runId))}/confirm`));
      onDecided({ confirmed: r });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  async function cancel() {
    setBusy('cancel');
    setError(null);
    try {
      await api.post(`/api/sync/runs/${encodeURIComponent(String(runId))}/cancel`);
      onDecided({ cancelled: true });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  const resources = Object.entries(plan?.resources ?? {});
  return (
    <section className="held" data-testid="held-plan" aria-labelledby={`held-${runId}`}>
      <h3 id={`held-${runId}`}>This sync is waiting for {canConfirm ? 'your' : 'an admin\'s'} confirmation</h3>
      <p>
        It would remove more records than usual, which can mean a wrong key or a problem upstream.
        Removed records are archived, not deleted, and can be restored later.
      </p>
      {!plan && !error ? <p><Spinner /> Loading the plan…</p> : null}
      {resources.map(([resource, rp]) => {
        const archive = rp?.archive ?? [];
        const create = rp?.create ?? [];
        if (!archive.length && !create.length) return null;
        return (
          <div key={resource} className="held-resource" data-testid={`held-${resource}`}>
            <h4>{resourceTitle(resource)}</h4>
            {archive.length ? (
              <>
                <p>Would archive {resourceCount(resource, archive.length)}:</p>
                <ul>
                  {archive.map((item) => (
                    <li key={item.upstream_id}>{item.name || item.upstream_id}</li>
                  ))}
                </ul>
              </>
            ) : null}
            {create.length ? <p>Would add {resourceCount(resource, create.length)}.</p> : null}
          </div>
        );
      })}
      {plan && !resources.length ? <p>The plan lists no changes.</p> : null}
      {error ? <Notice tone="error">{error}</Notice> : null}
      {canConfirm || canCancel ? (
        <div className="actions">
          {canConfirm ? (
            <button type="button" className="danger" onClick={confirm} disabled={busy !== null} data-testid="held-confirm">
              {busy === 'confirm' ? <Spinner /> : null} Confirm
            </button>
          ) : null}
          {canCancel ? (
            <button type="button" onClick={cancel} disabled={busy !== null} data-testid="held-cancel">
              {busy === 'cancel' ? <Spinner /> : null} Cancel
            </button>
          ) : null}
        </div>
      ) : <p className="hint" data-testid="held-admin-only">An admin of this tenant can confirm or cancel it.</p>}
    </section>
  );
}
