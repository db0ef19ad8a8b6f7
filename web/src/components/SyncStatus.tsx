// The voice sync status indicator: idle, running (with live progress), last synced N minutes
// ago (amber, naming what was not read, when some resources could not be read), failed, or
// held for confirmation.

import { describeNotRead, describeProgress, errorMessage, formatRelative, syncFailedText } from '../lib/format';
import { href } from '../lib/route';
import { useLive } from '../state/live';
import { useSummary } from '../state/summary';
import { Spinner, useNow } from './common';

export function SyncStatus() {
  const { summary } = useSummary();
  const { voiceProgress } = useLive();
  const now = useNow();
  if (!summary) return null;
  const last = summary.last_sync;
  let state: string = summary.sync_state;
  if (voiceProgress) state = 'running';

  let body;
  if (state === 'running') {
    body = (
      <>
        <Spinner /> <span>Syncing now: {describeProgress(voiceProgress?.phase === 'start' ? null : voiceProgress)}</span>
      </>
    );
  } else if (state === 'held') {
    body = (
      <span>
        Held for confirmation: a sync would remove many records.{' '}
        {last ? <a href={href('history', last.run_id)}>Review it</a> : null}
      </span>
    );
  } else if (state === 'failed') {
    body = (
      <span>
        {syncFailedText(last?.message || errorMessage(last?.error))} ({formatRelative(last?.finished_at ?? last?.started_at, now)})
      </span>
    );
  } else if (state === 'warning' && last) {
    body = (
      <span>
        Last synced {formatRelative(last.finished_at ?? last.started_at, now)} with warnings:{' '}
        {describeNotRead(last.not_read) || 'some records were not read'}.{' '}
        <a href={href('history', last.run_id)}>Details</a>
      </span>
    );
  } else if (last?.finished_at) {
    body = <span>Last synced {formatRelative(last.finished_at, now)}</span>;
  } else {
    body = <span>Not synced yet</span>;
    state = 'never';
  }
  return (
    <p className={`sync-status sync-status-${state}`} data-testid="sync-status" data-state={state} role="status">
      <span className="dot" aria-hidden="true" />
      {body}
    </p>
  );
}
