// An incremental parser of the text/event-stream format (WHATWG HTML, "server-sent events"):
// feed it decoded chunks as they arrive; it returns the events each chunk completed.

export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

export class SseParser {
  private buffer_ = '';
  private pendingCr_ = false;
  private event_ = '';
  private data_: string[] = [];
  private id_: string | null = null;
  private retryMs_: number | null = null;

  /// The last `retry:` value the stream sent, in milliseconds.
  get retryMs(): number | null {
    return this.retryMs_;
  }

  /// Parses one chunk of text; returns the events completed by it, in order.
  push(chunk: string): SseEvent[] {
    const out: SseEvent[] = [];
    let text = chunk;
    // A CR ending the previous chunk already ended its line; a LF right after it is the same break.
    if (this.pendingCr_ && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr_ = false;
    this.buffer_ += text;
    let start = 0;
    for (let i = 0; i < this.buffer_.length; i++) {
      const c = this.buffer_[i];
      if (c !== '\n' && c !== '\r') continue;
      this.line(this.buffer_.slice(start, i), out);
      if (c === '\r') {
        if (i + 1 < this.buffer_.length) {
          if (this.buffer_[i + 1] === '\n') i++;
        } else {
          this.pendingCr_ = true;
        }
      }
      start = i + 1;
    }
    this.buffer_ = this.buffer_.slice(start);
    return out;
  }

  private line(line: string, out: SseEvent[]): void {
    if (line === '') {
      if (this.data_.length > 0) {
        out.push({ event: this.event_ || 'message', data: this.data_.join('\n'), id: this.id_ });
      }
      this.event_ = '';
      this.data_ = [];
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.event_ = value;
        break;
      case 'data':
        this.data_.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) this.id_ = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.retryMs_ = Number(value);
        break;
      default:
        break;
    }
  }
}

/// The wait before reconnect attempt `attempt` (0-based): exponential from 1 s, capped at 30 s,
/// with up to 20 % jitter so that many tabs do not reconnect in step.
export function backoffDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(30_000, 1000 * 2 ** Math.max(0, attempt));
  return Math.round(base * (1 - 0.2 * random()));
}
