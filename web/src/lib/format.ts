// Pure formatting of API values into the words the pages show.

import type { CrmSyncResult, Progress, ResourceCounts, RunWarning, SyncResponse } from '../api/types';

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

const kResourceLabels: Record<string, [string, string]> = {
  agents: ['agent', 'agents'],
  phone_numbers: ['phone number', 'phone numbers'],
  campaigns: ['campaign', 'campaigns'],
  executions: ['execution', 'executions'],
  leads: ['lead', 'leads'],
  contacts: ['contact', 'contacts'],
};

/// "Agents", "Phone numbers": a resource name as a heading.
export function resourceTitle(resource: string): string {
  const many = kResourceLabels[resource]?.[1] ?? resource.replace(/_/g, ' ');
  return many.charAt(0).toUpperCase() + many.slice(1);
}

/// "3 agents", "1 phone number".
export function resourceCount(resource: string, n: number): string {
  const [one, many] = kResourceLabels[resource] ?? [resource, resource];
  return plural(n, one, many);
}

/// "just now", "5 minutes ago", "2 hours ago", "3 days ago"; "never" for null.
export function formatRelative(iso: string | null | undefined, nowMs: number): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return 'at an unknown time';
  const seconds = Math.round((nowMs - at) / 1000);
  // A minute of clock skew between browser and server still reads as "just now".
  if (seconds < 0 && seconds > -60) return 'just now';
  if (seconds < 0) {
    const ahead = -seconds;
    if (ahead < 3600) return `in ${plural(Math.round(ahead / 60), 'minute')}`;
    if (ahead < 86400) return `in ${plural(Math.round(ahead / 3600), 'hour')}`;
    return `in ${plural(Math.round(ahead / 86400), 'day')}`;
  }
  if (seconds < 45) return 'just now';
  if (seconds < 90) return '1 minute ago';
  if (seconds < 3600) return `${Math.round(seconds / 60)} minutes ago`;
  if (seconds < 5400) return '1 hour ago';
  if (seconds < 86400) return `${Math.round(seconds / 3600)} hours ago`;
  return `${plural(Math.round(seconds / 86400), 'day')} ago`;
}

/// "850 ms", "4.2 s", "2 min 5 s"; an em dash when unknown.
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return seconds ? `${minutes} min ${seconds} s` : `${minutes} min`;
}

/// A date and time in the reader's locale; an em dash when unknown.
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '—';
  return at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

type CountsByResource = Partial<Record<string, ResourceCounts>> | null | undefined;

function sum(counts: CountsByResource, key: keyof ResourceCounts): number {
  let total = 0;
  for (const c of Object.values(counts ?? {})) total += c?.[key] ?? 0;
  return total;
}

/// What a voice sync changed, all resources together: "2 removed, 1 added" or "no changes".
export function describeChanges(counts: CountsByResource, deleted?: number): string {
  const removed = Math.max(sum(counts, 'archived'), counts ? 0 : deleted ?? 0);
  const parts: string[] = [];
  if (removed) parts.push(`${removed} removed`);
  const added = sum(counts, 'created');
  if (added) parts.push(`${added} added`);
  const updated = sum(counts, 'updated');
  if (updated) parts.push(`${updated} updated`);
  const restored = sum(counts, 'restored');
  if (restored) parts.push(`${restored} restored`);
  return parts.length ? parts.join(', ') : 'no changes';
}

/// The per-resource version for a run's detail: "agents: 1 added, 2 removed".
export function describeResourceCounts(c: ResourceCounts | undefined): string {
  if (!c) return '—';
  const parts: string[] = [];
  if (c.created) parts.push(`${c.created} added`);
  if (c.updated) parts.push(`${c.updated} updated`);
  if (c.archived) parts.push(`${c.archived} removed`);
  if (c.restored) parts.push(`${c.restored} restored`);
  if (c.unchanged) parts.push(`${c.unchanged} unchanged`);
  if (!parts.length) parts.push('no changes');
  if (c.total !== undefined) parts.push(`${c.total} in total`);
  return parts.join(', ');
}

/// "Sync failed: <reason>", whether or not the server's message already starts that way.
export function syncFailedText(message: string | undefined | null, fallback = 'unknown error'): string {
  const m = (message ?? '').trim();
  if (/^sync failed/i.test(m)) return m;
  return `Sync failed: ${m || fallback}`;
}

/// The warnings of resources a sync could not read (it applied the others); older runs sent bare
/// sentences, which are notes about records.
export function resourcesNotRead(warnings: (RunWarning | string)[] | null | undefined): RunWarning[] {
  return (warnings ?? []).filter((w): w is RunWarning => typeof w === 'object' && w !== null && w.code !== 'record_warning');
}

/// "Executions not read", "Agents, campaigns and executions not read"; empty when all were read.
export function describeNotRead(warnings: (RunWarning | string)[] | null | undefined): string {
  const names = resourcesNotRead(warnings).map((w) => (w.resource ? resourceTitle(w.resource).toLowerCase() : 'records'));
  if (!names.length) return '';
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
  return `${list.charAt(0).toUpperCase()}${list.slice(1)} not read`;
}

/// A warning's sentence, whatever its shape.
export function warningText(w: RunWarning | string): string {
  return typeof w === 'string' ? w : w.message;
}

export type SyncOutcome =
  | { kind: 'completed'; text: string; changes: string }
  | { kind: 'partial'; text: string; changes: string; notRead: string }
  | { kind: 'failed'; text: string }
  | { kind: 'held'; text: string }
  | { kind: 'running'; text: string }
  | { kind: 'cancelled'; text: string };

/// Classifies a POST /api/tenant/sync (or confirm) answer into what the ↻ button shows.
export function describeSyncResponse(r: SyncResponse): SyncOutcome {
  if (r.error === 'mass_removal_held' || r.plan) {
    return {
      kind: 'held',
      text: r.message?.trim() || 'This sync would remove many records, so it waits for your confirmation.',
    };
  }
  if (!r.success) return { kind: 'failed', text: syncFailedText(r.message, r.error) };
  if (r.state === 'running' || r.message === 'Sync running') {
    return { kind: 'running', text: 'Sync running…' };
  }
  const changes = describeChanges(r.resources, r.deleted);
  const notRead = describeNotRead(r.warnings);
  if (notRead) return { kind: 'partial', text: 'Sync completed with warnings', changes, notRead };
  return { kind: 'completed', text: 'Sync completed', changes };
}

/// The sentence of an error the server sends as {code, message} or as a plain string.
export function errorMessage(error: { code?: string; message?: string } | string | null | undefined): string {
  if (!error) return '';
  if (typeof error === 'string') return error;
  return error.message?.trim() || error.code || 'unknown error';
}

/// "12 created, 3 updated, 40 unchanged" summed over every connection.
export function describeCrmTotals(results: CrmSyncResult[]): string {
  const t = results.reduce(
    (acc, r) => ({
      created: acc.created + (r.created ?? 0),
      updated: acc.updated + (r.updated ?? 0),
      unchanged: acc.unchanged + (r.unchanged ?? 0),
    }),
    { created: 0, updated: 0, unchanged: 0 },
  );
  return `${t.created} created, ${t.updated} updated, ${t.unchanged} unchanged`;
}

/// A running sync's progress in words: "Reading agents: page 2, 45 records".
export function describeProgress(p: Progress | null | undefined): string {
  if (!p) return 'Starting…';
  const what = p.resource ? resourceTitle(p.resource).toLowerCase() : 'records';
  if (p.phase === 'apply' || p.phase === 'applying') {
    const planned = p.planned ?? 0;
    return planned ? `Applying changes: ${p.applied ?? 0} of ${planned}` : 'Applying changes…';
  }
  if (p.phase === 'plan' || p.phase === 'planning') return `Planning ${what}…`;
  const pages = p.pages ? `page ${p.pages}, ` : '';
  return `Reading ${what}: ${pages}${plural(p.records ?? 0, 'record')}`;
}

const kTriggers: Record<string, string> = {
  manual: 'Manual (↻)',
  key_change: 'API key saved',
  login: 'Login',
  crm_connect: 'CRM connected',
  schedule: 'Schedule',
  cron: 'Cron',
};

export function triggerLabel(trigger: string): string {
  return kTriggers[trigger] ?? trigger;
}

/// "Voice platform" or "CRM (connection 3)".
export function targetLabel(target: string): string {
  if (target === 'voice') return 'Voice platform';
  if (target.startsWith('crm:')) return `CRM (connection ${target.slice(4)})`;
  return target;
}

const kArchiveReasons: Record<string, string> = {
  removed_upstream: 'Removed upstream',
  account_switched: 'Account switched',
};

export function archiveReasonLabel(reason: string): string {
  return kArchiveReasons[reason] ?? reason.replace(/_/g, ' ');
}

/// "•••• ab12" for a saved key's last four characters.
export function maskedKey(last4: string): string {
  return `•••• ${last4}`;
}

/// What a finished run (GET /api/sync/runs/{id}) means for the ↻ button.
export function outcomeFromRun(run: {
  state: string;
  counts: CountsByResource;
  error: { code: string; message: string } | string | null;
  warnings?: (RunWarning | string)[];
}): SyncOutcome {
  switch (run.state) {
    case 'succeeded': {
      const notRead = describeNotRead(run.warnings);
      if (notRead) return { kind: 'partial', text: 'Sync completed with warnings', changes: describeChanges(run.counts), notRead };
      return { kind: 'completed', text: 'Sync completed', changes: describeChanges(run.counts) };
    }
    case 'failed': {
      const reason = typeof run.error === 'string' ? run.error : run.error?.message;
      return { kind: 'failed', text: syncFailedText(reason) };
    }
    case 'held':
      return { kind: 'held', text: 'This sync would remove many records, so it waits for your confirmation.' };
    case 'cancelled':
      return { kind: 'cancelled', text: 'Sync cancelled: nothing was changed.' };
    default:
      return { kind: 'running', text: 'Sync running…' };
  }
}
