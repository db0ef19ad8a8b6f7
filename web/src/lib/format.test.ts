import { describe, expect, it } from 'vitest';
import {
  archiveReasonLabel, describeChanges, describeCrmTotals, describeNotRead, describeProgress, describeResourceCounts,
  describeSyncResponse, errorMessage, formatDuration, formatRelative, maskedKey, outcomeFromRun, plural, resourceCount,
  resourceTitle, syncFailedText, targetLabel,
} from './format';

const now = Date.parse('2026-11-21T10:00:00.000Z');

describe('formatRelative', () => {
  it.each([
    ['2026-11-21T09:59:40.000Z', 'just now'],
    ['2026-11-21T09:59:00.000Z', '1 minute ago'],
    ['2026-11-21T09:55:00.000Z', '5 minutes ago'],
    ['2026-11-21T09:00:00.000Z', '1 hour ago'],
    ['2026-11-21T07:00:00.000Z', '3 hours ago'],
    ['2026-11-20T10:00:00.000Z', '1 day ago'],
    ['2026-11-18T10:00:00.000Z', '3 days ago'],
    ['2026-11-21T10:30:00.000Z', 'in 30 minutes'],
    ['2026-11-21T10:00:20.000Z', 'just now'],
  ])('%s is %s', (iso, text) => {
    expect(formatRelative(iso, now)).toBe(text);
  });

  it('says never for null and admits an unreadable time', () => {
    expect(formatRelative(null, now)).toBe('never');
    expect(formatRelative('yesterday-ish', now)).toBe('at an unknown time');
  });
});

describe('formatDuration', () => {
  it.each([
    [850, '850 ms'],
    [4200, '4.2 s'],
    [125_000, '2 min 5 s'],
    [120_000, '2 min'],
  ])('%d ms is %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('shows a dash when unknown', () => {
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(-1)).toBe('—');
  });
});

describe('counts and labels', () => {
  it('pluralises', () => {
    expect(plural(1, 'agent')).toBe('1 agent');
    expect(plural(3, 'agent')).toBe('3 agents');
    expect(resourceCount('phone_numbers', 1)).toBe('1 phone number');
    expect(resourceCount('agents', 0)).toBe('0 agents');
    expect(resourceTitle('phone_numbers')).toBe('Phone numbers');
  });

  it('describes what a sync changed across resources', () => {
    expect(describeChanges({
      agents: { created: 1, updated: 0, archived: 2, restored: 0, total: 1 },
      phone_numbers: { created: 0, archived: 0 },
    })).toBe('2 removed, 1 added');
    expect(describeChanges({ agents: { created: 0, archived: 0, total: 3 } })).toBe('no changes');
    expect(describeChanges({ agents: { updated: 4, restored: 1 } })).toBe('4 updated, 1 restored');
  });

  it('falls back to the legacy deleted count when there are no per-resource counts', () => {
    expect(describeChanges(undefined, 2)).toBe('2 removed');
  });

  it('describes one resource of a run', () => {
    expect(describeResourceCounts({ created: 1, archived: 2, unchanged: 5, total: 6 }))
      .toBe('1 added, 2 removed, 5 unchanged, 6 in total');
    expect(describeResourceCounts({})).toBe('no changes');
  });

  it('sums CRM results', () => {
    expect(describeCrmTotals([
      { connection_id: 1, provider: 'hubspot', run_id: 1, created: 3, updated: 1, unchanged: 10, error: null },
      { connection_id: 2, provider: 'salesforce', run_id: 2, created: 2, updated: 0, unchanged: 5, error: null },
    ])).toBe('5 created, 1 updated, 15 unchanged');
    expect(describeCrmTotals([])).toBe('0 created, 0 updated, 0 unchanged');
  });

  it('reads errors sent as {code, message} or as a string', () => {
    expect(errorMessage({ code: 'credentials_rejected', message: 'HubSpot says the token expired.' }))
      .toBe('HubSpot says the token expired.');
    expect(errorMessage({ code: 'busy', message: ' ' })).toBe('busy');
    expect(errorMessage('plain words')).toBe('plain words');
    expect(errorMessage(null)).toBe('');
  });

  it('labels targets, reasons and keys', () => {
    expect(targetLabel('voice')).toBe('Voice platform');
    expect(targetLabel('crm:3')).toBe('CRM (connection 3)');
    expect(archiveReasonLabel('account_switched')).toBe('Account switched');
    expect(archiveReasonLabel('something_new')).toBe('something new');
    expect(maskedKey('ab12')).toBe('•••• ab12');
  });
});

describe('sync responses', () => {
  it('prefixes a failure reason once', () => {
    expect(syncFailedText('Sync failed: key rejected')).toBe('Sync failed: key rejected');
    expect(syncFailedText('upstream timed out')).toBe('Sync failed: upstream timed out');
    expect(syncFailedText('', 'upstream_5xx')).toBe('Sync failed: upstream_5xx');
  });

  it('classifies a completed sync with its changes', () => {
    expect(describeSyncResponse({
      success: true, message: 'Sync completed', deleted: 2, run_id: 9,
      resources: { agents: { created: 1, archived: 2, updated: 0, restored: 0, total: 1 } },
    })).toEqual({ kind: 'completed', text: 'Sync completed', changes: '2 removed, 1 added' });
  });

  it('classifies a sync that could not read some resources as completed with warnings', () => {
    const warnings = [
      { resource: 'executions', code: 'upstream_paging_loop', message: 'Executions were not read: …' },
      { resource: 'campaigns', code: 'upstream_error', message: 'Campaigns were not read: …' },
      { resource: 'agents', code: 'record_warning', message: "agent a1: field 'updated_at' …" },
    ];
    expect(describeSyncResponse({
      success: true, message: 'Sync completed with warnings', deleted: 0, run_id: 9,
      resources: { agents: { created: 1 } }, warnings,
    })).toEqual({
      kind: 'partial', text: 'Sync completed with warnings', changes: '1 added', notRead: 'Executions and campaigns not read',
    });
    expect(outcomeFromRun({ state: 'succeeded', counts: { agents: { created: 1 } }, error: null, warnings }).kind)
      .toBe('partial');
    // Notes about records alone, and the bare sentences of older runs, are a completed sync.
    expect(describeNotRead([warnings[2], 'agents: skipped 1 record'])).toBe('');
    expect(describeSyncResponse({ success: true, message: 'Sync completed', warnings: [warnings[2]] }).kind)
      .toBe('completed');
  });

  it('classifies failures, held runs and runs still going', () => {
    expect(describeSyncResponse({ success: false, message: 'Sync failed: invalid key', error: 'key_rejected' }))
      .toEqual({ kind: 'failed', text: 'Sync failed: invalid key' });
    expect(describeSyncResponse({
      success: false, error: 'mass_removal_held', message: 'Would remove 3 of 3 agents', run_id: 4, plan_id: 'p',
      plan: { resources: { agents: { archive: [{ upstream_id: 'a', name: 'A' }] } } },
    }).kind).toBe('held');
    expect(describeSyncResponse({ success: true, message: 'Sync running', run_id: 5, state: 'running' }).kind)
      .toBe('running');
  });

  it('reads a finished run', () => {
    expect(outcomeFromRun({ state: 'succeeded', counts: { agents: { archived: 1 } }, error: null }))
      .toEqual({ kind: 'completed', text: 'Sync completed', changes: '1 removed' });
    expect(outcomeFromRun({ state: 'failed', counts: null, error: { code: 'x', message: 'boom' } }))
      .toEqual({ kind: 'failed', text: 'Sync failed: boom' });
    expect(outcomeFromRun({ state: 'cancelled', counts: null, error: null }).kind).toBe('cancelled');
  });
});

describe('describeProgress', () => {
  it('describes reading, planning and applying', () => {
    expect(describeProgress({ phase: 'fetch', resource: 'agents', pages: 2, records: 45 }))
      .toBe('Reading agents: page 2, 45 records');
    expect(describeProgress({ phase: 'fetch', resource: 'phone_numbers', pages: 0, records: 1 }))
      .toBe('Reading phone numbers: 1 record');
    expect(describeProgress({ phase: 'apply', resource: '', pages: 0, records: 0, planned: 10, applied: 4 }))
      .toBe('Applying changes: 4 of 10');
    expect(describeProgress(null)).toBe('Starting…');
  });
});
