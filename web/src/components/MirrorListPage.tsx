// The list pages of the voice platform's records (agents, phone numbers, campaigns): one table,
// cursor-paged, each row linking to its page and its agent.

import type { MirrorItem, PageOf } from '../api/contract';
import { EmptyState, Notice, Spinner } from './common';
import { agentRowsOf, MirrorTable } from './MirrorTable';
import { Pager } from './Pager';
import type { PageName } from '../lib/route';
import { usePaged, useRecord } from '../lib/usePaged';

export function MirrorListPage({ title, path, what, detailPage, withAgent, intro, testId }: {
  title: string; path: string; what: string; detailPage?: PageName; withAgent: boolean; intro: string; testId: string;
}) {
  const list = usePaged<MirrorItem>(`${path}?limit=100`);
  const agents = useRecord<PageOf<MirrorItem>>(withAgent ? '/api/agents?limit=500' : null);
  return (
    <div className="page">
      <h1>{title}</h1>
      <p className="muted">{intro}</p>
      <section className="card wide" aria-label={title}>
        {list.error ? <Notice tone="error">Could not load {what}: {list.error}</Notice> : null}
        {!list.items && !list.error ? <p className="muted"><Spinner /> Loading…</p> : null}
        {list.items && !list.items.length ? <EmptyState title={`No ${what}`}>Sync the voice platform to see them.</EmptyState> : null}
        {list.items && list.items.length ? (
          <>
            <MirrorTable items={list.items} detailPage={detailPage} caption={title} testId={testId}
                         agentRows={withAgent ? agentRowsOf(agents.data?.items) : undefined} />
            <Pager shown={list.items.length} next={list.next} loading={list.loading} onMore={list.loadMore} what={what} />
          </>
        ) : null}
      </section>
    </div>
  );
}
