// The foot of a cursor-paged table: how many rows are shown and "Load more" while there are more.

import { Spinner } from './common';

export function Pager({ shown, next, loading, onMore, what }: {
  shown: number; next: string | null; loading: boolean; onMore: () => void; what: string;
}) {
  return (
    <div className="actions pager">
      <span className="muted small" data-testid="pager-count">{shown} {what}{next ? ' shown' : ''}</span>
      {next ? (
        <button type="button" onClick={onMore} disabled={loading} data-testid="load-more">
          {loading ? <Spinner /> : null} Load more
        </button>
      ) : null}
    </div>
  );
}
