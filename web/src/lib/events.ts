// The live event stream: GET /api/events read through fetch() (so the token travels in the
// Authorization header, never in a URL), parsed as SSE, reconnected with backoff.

import { backoffDelayMs, SseParser, type SseEvent } from './sse';

export type StreamStatus = 'connecting' | 'open' | 'closed';

export interface EventStreamOptions {
  url: string;
  getToken: () => string | null;
  onEvent: (event: SseEvent) => void;
  onStatus?: (status: StreamStatus) => void;
  /// Called on a 401: the session is over and reconnecting is pointless.
  onUnauthorized?: () => void;
  fetchImpl?: typeof fetch;
  /// The jitter source of the reconnect backoff (tests pin it).
  random?: () => number;
}

/// Opens the stream and keeps it open until the returned function is called.
export function openEventStream(options: EventStreamOptions): () => void {
  const doFetch = options.fetchImpl ?? ((input, init) => fetch(input, init));
  let stopped = false;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let controller: AbortController | null = null;

  const setStatus = (s: StreamStatus) => options.onStatus?.(s);

  async function connect(): Promise<void> {
    if (stopped) return;
    const token = options.getToken();
    if (!token) return;
    controller = new AbortController();
    setStatus('connecting');
    const parser = new SseParser();
    try {
      const response = await doFetch(options.url, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
        signal: controller.signal,
        cache: 'no-store',
      });
      if (response.status === 401) {
        stopped = true;
        setStatus('closed');
        options.onUnauthorized?.();
        return;
      }
      if (!response.ok || !response.body) throw new Error(`events: HTTP ${response.status}`);
      setStatus('open');
      attempt = 0;
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        for (const event of parser.push(decoder.decode(value, { stream: true }))) {
          options.onEvent(event);
        }
      }
    } catch {
      // Network errors and aborts end up here; reconnecting below handles both.
    }
    if (stopped) return;
    setStatus('closed');
    const delay = Math.max(parser.retryMs ?? 0, backoffDelayMs(attempt++, options.random));
    timer = setTimeout(() => void connect(), delay);
  }

  void connect();
  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    controller?.abort();
  };
}
