import { describe, expect, it } from 'vitest';
import { parseEvents } from './Webhooks';

describe('parseEvents', () => {
  it('splits on commas and spaces', () => {
    expect(parseEvents('lead.*, run.finished  execution.updated')).toEqual(['lead.*', 'run.finished', 'execution.updated']);
  });
  it('is every event when empty', () => {
    expect(parseEvents('  ')).toEqual(['*']);
  });
});
