import { describe, expect, it } from 'vitest';
import { backoffDelayMs, SseParser } from './sse';

describe('SseParser', () => {
  it('parses named events with JSON data', () => {
    const p = new SseParser();
    const out = p.push('event: run.progress\ndata: {"run_id":7,"pages":2}\n\n');
    expect(out).toEqual([{ event: 'run.progress', data: '{"run_id":7,"pages":2}', id: null }]);
  });

  it('defaults the event name to message and joins data lines with newlines', () => {
    const p = new SseParser();
    expect(p.push('data: a\ndata:b\n\n')).toEqual([{ event: 'message', data: 'a\nb', id: null }]);
  });

  it('ignores comment lines such as pings', () => {
    const p = new SseParser();
    expect(p.push(': ping\n\n')).toEqual([]);
    expect(p.push(': ping\nevent: summary\ndata: {}\n\n')).toHaveLength(1);
  });

  it('assembles events split across chunks at any byte', () => {
    const text = 'event: summary\ndata: {"counts":{"agents":3}}\n\nevent: leads.changed\ndata: {"created":1}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const p = new SseParser();
      const out = [...p.push(text.slice(0, cut)), ...p.push(text.slice(cut))];
      expect(out.map((e) => e.event)).toEqual(['summary', 'leads.changed']);
      expect(JSON.parse(out[0].data)).toEqual({ counts: { agents: 3 } });
    }
  });

  it('accepts CRLF and CR line endings, including a CRLF split between chunks', () => {
    const p = new SseParser();
    const out = [...p.push('event: a\r\ndata: 1\r'), ...p.push('\n\r\n'), ...p.push('event: b\rdata: 2\r\r')];
    expect(out).toEqual([
      { event: 'a', data: '1', id: null },
      { event: 'b', data: '2', id: null },
    ]);
  });

  it('does not dispatch an event without data and resets the name after a blank line', () => {
    const p = new SseParser();
    expect(p.push('event: lonely\n\ndata: x\n\n')).toEqual([{ event: 'message', data: 'x', id: null }]);
  });

  it('keeps only one leading space of a value and tracks id and retry', () => {
    const p = new SseParser();
    const out = p.push('id: 42\nretry: 5000\ndata:  two spaces\n\n');
    expect(out).toEqual([{ event: 'message', data: ' two spaces', id: '42' }]);
    expect(p.retryMs).toBe(5000);
    p.push('retry: soon\n');
    expect(p.retryMs).toBe(5000);
  });

  it('waits for the blank line before dispatching', () => {
    const p = new SseParser();
    expect(p.push('event: summary\ndata: {}\n')).toEqual([]);
    expect(p.push('\n')).toHaveLength(1);
  });
});

describe('backoffDelayMs', () => {
  it('doubles from one second and caps at thirty', () => {
    const noJitter = () => 0;
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((a) => backoffDelayMs(a, noJitter)))
      .toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('jitters down by at most a fifth', () => {
    expect(backoffDelayMs(0, () => 1)).toBe(800);
    expect(backoffDelayMs(5, () => 0.5)).toBe(27000);
  });
});
