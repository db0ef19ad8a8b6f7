// How the call log shows a call's numbers: duration, cost, who was called.

import type { Call } from '../api/contract';

/// "1 min 05 s", "42 s"; a dash when unknown.
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, '0')} s`;
}

/// "$0.042": the voice platform's costs are in US dollars, often fractions of a cent.
export function formatCost(cost: number | null | undefined): string {
  if (cost === null || cost === undefined || !Number.isFinite(cost)) return '—';
  const digits = Math.abs(cost) < 1 ? 3 : 2;
  return `$${cost.toFixed(digits)}`;
}

/// The number as sent, else its E.164 form, else a dash.
export function callNumber(raw: string | null, e164: string | null): string {
  return raw || e164 || '—';
}

/// "inbound" / "outbound" / the platform's word.
export function directionLabel(call: Pick<Call, 'direction'>): string {
  return call.direction ?? '—';
}

/// Days back from now as the ISO time the API's `from` takes.
export function daysAgoIso(days: number, nowMs = Date.now()): string {
  return new Date(nowMs - days * 86_400_000).toISOString();
}

/// A date input's value (YYYY-MM-DD, local to nobody: UTC) as the API's ISO time.
export function dateInputToIso(value: string, endOfDay = false): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined;
  return endOfDay ? new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString() : `${value}T00:00:00Z`;
}
