import { afterEach, describe, expect, it, vi } from 'vitest';
import { openEventStream } from './events';
import type { SseEvent } from './sse';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(enc.encode(c));
      controller.close();
    },
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('openEventStream', () => {
  it('sends the token in the header, delivers parsed events and reconnects with backoff', async () => {
    vi.useFakeTimers();
    const events: SseEvent[] = [];
    const statuses: string[] = [];
    const f = vi.fn(async () => new Response(streamOf([
      ': ping\n\nevent: summary\ndata: {"counts":',
      '{"agents":1}}\n\n',
    ]), { status: 200, headers: { 'Content-Type': 'text/event-stream' } }));
    const stop = openEventStream({
      url: '/api/events',
      getToken: () => 'tok',
      onEvent: (e) => events.push(e),
      onStatus: (s) => statuses.push(s),
      fetchImpl: f as unknown as typeof fetch,
      random: () => 0,
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(events).toEqual([{ event: 'summary', data: '{"counts":{"agents":1}}', id: null }]);
    const init = (f.mock.calls[0] as unknown as [string, RequestInit])[1];
    expect((init.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(statuses).toEqual(['connecting', 'open', 'closed']);

    // The stream ended; the next attempt comes after the first backoff step, 1 s.
    await vi.advanceTimersByTimeAsync(900);
    expect(f).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(f).toHaveBeenCalledTimes(2);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(f).toHaveBeenCalledTimes(2);
  });

  it('backs off further while the server keeps failing', async () => {
    vi.useFakeTimers();
    const f = vi.fn(async () => new Response('down', { status: 503 }));
    const stop = openEventStream({
      url: '/api/events', getToken: () => 'tok', onEvent: () => undefined, fetchImpl: f as unknown as typeof fetch,
      random: () => 0,
    });
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1000);
    expect(f).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1900);
    expect(f).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(200);
    expect(f).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(3800);
    expect(f).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(200);
    expect(f).toHaveBeenCalledTimes(4);
    stop();
  });

  it('stops for good on a 401 and reports it', async () => {
    vi.useFakeTimers();
    const f = vi.fn(async () => new Response('{"error":"unauthorized"}', { status: 401 }));
    const onUnauthorized = vi.fn();
    openEventStream({
      url: '/api/events', getToken: () => 'tok', onEvent: () => undefined, onUnauthorized,
      fetchImpl: f as unknown as typeof fetch,
    });
    await vi.advanceTimersByTimeAsync(120_000);
    expect(f).toHaveBeenCalledTimes(1);
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });
});
