// Archive: what syncs archived, by resource, with reason and run, and Restore (admins).

import { useCallback, useEffect, useState } from 'react';
import { kVoiceResources, type ArchiveItem, type Page, type ResourceName } from '../api/types';
import { EmptyState, errorText, Notice, Spinner } from '../components/common';
import { archiveReasonLabel, formatDateTime, resourceCount, resourceTitle } from '../lib/format';
import { href } from '../lib/route';
import { useLiveEvent } from '../state/live';
import { useCanCall } from '../state/role';
import { useSession } from '../state/session';
import { useSummary } from '../state/summary';

export function ArchivePage() {
  const { api } = useSession();
  const { refresh } = useSummary();
  const canRestore = useCanCall('restore');
  const [resource, setResource] = useState<ResourceName>('agents');
  const [items, setItems] = useState<ArchiveItem[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [restoring, setRestoring] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: 'success' | 'error'; text: string } | null>(null);

  const load = useCallback(async (cursor?: string) => {
    try {
      const q = `resource=${resource}&limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const r = await api.get<Page<ArchiveItem>>(`/api/archive?${q}`);
      setItems((old) => (cursor ? [...(old ?? []), ...(r.items ?? [])] : r.items ?? []));
      setNext(r.next);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  }, [api, resource]);

  useEffect(() => {
    setItems(null);
    void load();
  }, [load]);
  useLiveEvent('run.finished', () => void load());

  async function restore(item: ArchiveItem) {
    const key = `${item.resource}/${item.id}`;
    setRestoring(key);
    setNotice(null);
    try {
      await api.post(`/api/archive/${encodeURIComponent(item.resource)}/${encodeURIComponent(String(item.id))}/restore`);
      setItems((old) => (old ?? []).filter((i) => `${i.resource}/${i.id}` !== key));
      setNotice({ tone: 'success', text: `Restored ${item.name || item.upstream_id}.` });
      void refresh();
    } catch (e) {
      setNotice({ tone: 'error', text: `Could not restore ${item.name || item.upstream_id}: ${errorText(e)}` });
    } finally {
      setRestoring(null);
    }
  }

  return (
    <div className="page">
      <h1>Archive</h1>
      <p className="muted">
        Records a sync removed because the voice platform no longer had them, or because the API key
        was switched to another account. Restoring{canRestore ? '' : ', which an admin of this tenant can do,'} brings a
        record back to the lists and counts.
      </p>
      <div className="segmented" role="group" aria-label="Resource">
        {kVoiceResources.map((r) => (
          <button key={r} type="button" aria-pressed={r === resource} onClick={() => setResource(r)}
                  data-testid={`archive-tab-${r}`}>
            {resourceTitle(r)}
          </button>
        ))}
      </div>
      <section className="card wide" aria-labelledby="archive-title">
        <h2 id="archive-title">Archived {resourceTitle(resource).toLowerCase()}</h2>
        <div aria-live="polite">
          {notice ? <Notice tone={notice.tone} testId="archive-notice">{notice.text}</Notice> : null}
        </div>
        {error ? <Notice tone="error">Could not load the archive: {error}</Notice> : null}
        {!items && !error ? <p className="muted"><Spinner /> Loading…</p> : null}
        {items && !items.length ? (
          <EmptyState title={`No archived ${resourceTitle(resource).toLowerCase()}`}>
            Nothing has been removed by a sync.
          </EmptyState>
        ) : null}
        {items && items.length ? (
          <>
            <p className="muted small">{resourceCount(resource, items.length)}{next ? ' shown' : ''}</p>
            <div className="table-wrap">
              <table className="table archive">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Upstream id</th>
                    <th scope="col">Archived</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Run</th>
                    {canRestore ? <th scope="col"><span className="sr-only">Action</span></th> : null}
                  </tr>
                </thead>
                <tbody>
                  {items.map((item) => {
                    const key = `${item.resource}/${item.id}`;
                    return (
                      <tr key={key} data-testid="archive-row" data-id={String(item.id)}>
                        <td data-label="Name">{item.name || <span className="muted">(no name)</span>}</td>
                        <td data-label="Upstream id" className="mono">{item.upstream_id}</td>
                        <td data-label="Archived">{formatDateTime(item.archived_at)}</td>
                        <td data-label="Reason">{archiveReasonLabel(item.archive_reason)}</td>
                        <td data-label="Run">
                          {item.archive_run !== null ? <a href={href('history', item.archive_run)}>Run {item.archive_run}</a> : '—'}
                        </td>
                        {canRestore ? (
                          <td>
                            <button type="button" onClick={() => restore(item)} disabled={restoring !== null}
                                    aria-label={`Restore ${item.name || item.upstream_id}`} data-testid="archive-restore">
                              {restoring === key ? <Spinner /> : null} Restore
                            </button>
                          </td>
                        ) : null}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
        {next ? (
          <div className="actions">
            <button type="button" onClick={() => void load(next)}>Load more</button>
          </div>
        ) : null}
      </section>
    </div>
  );
}
