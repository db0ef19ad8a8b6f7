// The voice platform's JSON as sent (extracted data, cost breakdown, telephony data): pretty-printed,
// or a note when it is absent or was too large to keep.

export function JsonBlock({ value, testId }: { value: unknown; testId?: string }) {
  if (value === null || value === undefined) return <p className="muted small" data-testid={testId}>None sent.</p>;
  if (typeof value === 'object' && value !== null && '_truncated_bytes' in value) {
    const bytes = (value as { _truncated_bytes: number })._truncated_bytes;
    return <p className="muted small" data-testid={testId}>Too large to keep ({bytes.toLocaleString()} bytes).</p>;
  }
  return <pre className="json" data-testid={testId}>{JSON.stringify(value, null, 2)}</pre>;
}
