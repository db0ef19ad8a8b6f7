import { describe, expect, it } from 'vitest';
import { callNumber, dateInputToIso, formatCost, formatSeconds } from './calls';
import { href, parseRoute, queryString } from './route';

describe('call formatting', () => {
  it('shows durations and costs, a dash when unknown', () => {
    expect(formatSeconds(42.4)).toBe('42 s');
    expect(formatSeconds(65)).toBe('1 min 05 s');
    expect(formatSeconds(null)).toBe('—');
    expect(formatCost(0.0421)).toBe('$0.042');
    expect(formatCost(12.5)).toBe('$12.50');
    expect(formatCost(undefined)).toBe('—');
    expect(callNumber(null, '+14155552671')).toBe('+14155552671');
  });
  it('reads a date input as UTC days, the end exclusive', () => {
    expect(dateInputToIso('2026-03-01')).toBe('2026-03-01T00:00:00Z');
    expect(dateInputToIso('2026-03-01', true)).toBe('2026-03-02T00:00:00.000Z');
    expect(dateInputToIso('bad')).toBeUndefined();
  });
});

describe('routes with filters', () => {
  it('round-trips a filtered list link', () => {
    const link = href('calls', null, { agent_id: 'ag 1', status: '' });
    expect(link).toBe('#/calls?agent_id=ag+1');
    expect(parseRoute(link)).toEqual({ page: 'calls', param: null, query: { agent_id: 'ag 1' } });
    expect(parseRoute('#/leads/12')).toEqual({ page: 'leads', param: '12', query: {} });
    expect(parseRoute('#/nowhere').page).toBe('dashboard');
    expect(queryString({ a: 1, b: undefined, c: '' })).toBe('a=1');
  });
});
