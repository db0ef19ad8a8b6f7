// One call: what the mirror has (who, when, how long, cost) and its detail from the voice
// platform (transcript, recording, extracted data, cost breakdown, telephony data), fetched on
// the first open and cached. When the detail cannot be fetched, the reason is shown beside what
// the mirror has. A huge transcript was cut by the server and is shown a part at a time.

import { useState } from 'react';
import type { OpenedCall } from '../api/contract';
import { JsonBlock } from '../components/JsonBlock';
import { Notice, Spinner } from '../components/common';
import { callNumber, directionLabel, formatCost, formatSeconds } from '../lib/calls';
import { formatDateTime } from '../lib/format';
import { href } from '../lib/route';
import { useRecord } from '../lib/usePaged';

/// Characters of transcript drawn at once; "Show more" adds as many.
const kTranscriptStep = 20_000;

export function CallDetailPage({ id }: { id: string }) {
  const { data: call, error } = useRecord<OpenedCall>(`/api/executions/${encodeURIComponent(id)}`);
  return (
    <div className="page">
      <p><a href={href('calls')}>← Calls</a></p>
      <h1>Call {call ? <span className="mono">{call.upstream_id}</span> : null}</h1>
      {error ? <Notice tone="error">Could not load the call: {error}</Notice> : null}
      {!call && !error ? <p className="muted"><Spinner /> Loading the call (its detail comes from the voice platform on the first open)…</p> : null}
      {call ? <CallBody call={call} /> : null}
    </div>
  );
}

function CallBody({ call }: { call: OpenedCall }) {
  const d = call.detail;
  return (
    <>
      <section className="card wide" aria-labelledby="call-facts">
        <h2 id="call-facts">Summary</h2>
        <dl className="facts" data-testid="call-facts">
          <dt>Time</dt><dd>{formatDateTime(call.created_at)}</dd>
          <dt>Agent</dt>
          <dd>{call.agent.id !== null ? <a href={href('agents', call.agent.id)}>{call.agent.name || call.agent.upstream_id}</a> : call.agent.upstream_id ?? '—'}</dd>
          <dt>Direction</dt><dd>{directionLabel(call)}</dd>
          <dt>From</dt><dd className="mono">{callNumber(call.from_number, call.from_e164)}</dd>
          <dt>To</dt><dd className="mono">{callNumber(call.to_number, call.to_e164)}</dd>
          <dt>Duration</dt><dd>{formatSeconds(call.duration_s)}</dd>
          <dt>Status</dt><dd data-testid="call-status">{call.status || '—'}</dd>
          <dt>Cost</dt><dd data-testid="call-cost">{formatCost(call.cost)}</dd>
          <dt>Campaign</dt>
          <dd>{call.campaign ? (call.campaign.id !== null ? <a href={href('campaigns', call.campaign.id)}>{call.campaign.name || call.campaign.upstream_id}</a> : call.campaign.upstream_id) : '—'}</dd>
        </dl>
      </section>
      {call.detail_error ? (
        <Notice tone="warning" testId="call-detail-error">
          The voice platform's detail of this call could not be fetched ({call.detail_error.code}): {call.detail_error.message} What
          the last sync stored is shown above; opening the call again tries again.
        </Notice>
      ) : null}
      {d ? (
        <>
          <section className="card wide" aria-labelledby="call-transcript">
            <h2 id="call-transcript">Transcript</h2>
            <Transcript text={d.transcript} truncated={d.transcript_truncated} bytes={d.transcript_bytes} />
          </section>
          <section className="card wide" aria-labelledby="call-recording">
            <h2 id="call-recording">Recording</h2>
            {d.recording_url ? (
              <p><a href={d.recording_url} target="_blank" rel="noreferrer noopener" data-testid="call-recording-link">Open the recording</a>
                <span className="muted small"> (hosted by the voice platform; opens in a new tab)</span></p>
            ) : <p className="muted">No recording.</p>}
          </section>
          <div className="grid">
            <section className="card" aria-labelledby="call-extracted"><h2 id="call-extracted">Extracted data</h2><JsonBlock value={d.extracted_data} testId="call-extracted" /></section>
            <section className="card" aria-labelledby="call-costs"><h2 id="call-costs">Cost breakdown</h2><JsonBlock value={d.cost_breakdown} testId="call-cost-breakdown" /></section>
            <section className="card" aria-labelledby="call-telephony"><h2 id="call-telephony">Telephony data</h2><JsonBlock value={d.telephony_data} testId="call-telephony" /></section>
          </div>
          <p className="muted small">Detail {call.detail_source === 'cache' ? 'from the cache' : 'fetched from the voice platform'}, {formatDateTime(d.fetched_at)}.</p>
        </>
      ) : null}
    </>
  );
}

function Transcript({ text, truncated, bytes }: { text: string; truncated: boolean; bytes: number }) {
  const [shown, setShown] = useState(kTranscriptStep);
  if (!text) return <p className="muted" data-testid="call-transcript">No transcript.</p>;
  return (
    <>
      {truncated ? (
        <Notice tone="info" testId="call-transcript-truncated">
          This transcript is {bytes.toLocaleString()} bytes; the first 256 KiB are kept and shown.
        </Notice>
      ) : null}
      <pre className="transcript" data-testid="call-transcript">{text.slice(0, shown)}</pre>
      {text.length > shown ? (
        <div className="actions">
          <span className="muted small">{shown.toLocaleString()} of {text.length.toLocaleString()} characters shown</span>
          <button type="button" onClick={() => setShown((n) => n + kTranscriptStep)} data-testid="call-transcript-more">Show more</button>
        </div>
      ) : null}
    </>
  );
}
