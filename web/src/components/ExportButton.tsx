// Export: downloads a CSV or JSON Lines export (GET /api/leads/export, /api/executions/export)
// with the session's token, and hands it to the browser as a file.

import { useState } from 'react';
import { useSession } from '../state/session';
import { errorText } from './common';

export function ExportButton({ path, name, query = '' }: { path: string; name: string; query?: string }) {
  const { api } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download(format: 'csv' | 'jsonl') {
    setBusy(true);
    setError(null);
    try {
      const blob = await api.blob(`${path}?format=${format}${query ? `&${query}` : ''}`);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `${name}.${format}`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="export">
      <button type="button" disabled={busy} onClick={() => void download('csv')} data-testid={`export-${name}-csv`}>
        Export CSV
      </button>
      <button type="button" disabled={busy} onClick={() => void download('jsonl')} data-testid={`export-${name}-jsonl`}>
        Export JSON Lines
      </button>
      {error ? <span role="alert" className="small error-text"> Export failed: {error}</span> : null}
    </span>
  );
}
