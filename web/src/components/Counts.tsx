// The counts of the tenant's mirrored records. Settings and the Dashboard both render this one
// component from the one summary, so they cannot disagree.

import { kVoiceResources } from '../api/types';
import { resourceTitle } from '../lib/format';
import { useSummary } from '../state/summary';
import { Notice } from './common';

export function Counts() {
  const { summary, error, loading } = useSummary();
  return (
    <div>
      <dl className="counts">
        {kVoiceResources.map((r) => (
          <div className="count" key={r}>
            <dt>{resourceTitle(r)}</dt>
            <dd data-testid={`count-${r}`} aria-busy={loading && !summary}>
              {summary ? summary.counts[r] ?? 0 : '—'}
            </dd>
          </div>
        ))}
      </dl>
      {error && !summary ? <Notice tone="error">Could not load the counts: {error}</Notice> : null}
    </div>
  );
}
