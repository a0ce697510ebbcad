/** Where an SSE writer's bytes go: the HTTP response, or a fake in unit tests. */
export interface SseSink {
  /** Queues text for the client; never waits. */
  write(text: string): void;
  /** Bytes queued but not yet taken by the client. */
  unsent(): number;
  /** Resolves once the client has taken what was queued, or the connection is gone. */
  drained(): Promise<void>;
  /** Ends the response cleanly. */
  end(): void;
  /** Cuts the connection (a client that stopped reading). */
  destroy(): void;
  /** Called once if the client goes away (or the connection breaks) before `end` or `destroy`. */
  onGone(listener: () => void): void;
}

/** A reconnect delay with jitter, so a restart does not bring every client back in the same millisecond. */
export const retryHint = (base = 1000, spread = 2000) => Math.round(base + Math.random() * spread);

/** One SSE message; every line of `data` gets its own `data:` field. */
export function frame(id: number, event: string | undefined, data: string) {
  let text = `id: ${id}\n${event ? `event: ${event}\n` : ''}`;
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/**
 * SSE framing and backpressure over a sink. Writes only queue bytes. An unpaced write (live)
 * that leaves more than `maxUnsent` bytes untaken closes the connection: the client stopped
 * reading and catches up by replay later. A paced writer (the replay) awaits `drained()`
 * instead, so it is never cut off for being behind.
 */
export class SseWriter {
  private open = true;

  constructor(
    private readonly sink: SseSink,
    private readonly maxUnsent: number,
    /** Called once when the writer closes the connection because the client stopped reading. */
    private readonly onOverflow: (unsent: number) => void,
  ) {}

  get isOpen() {
    return this.open;
  }

  /** Queues raw SSE text; false once the connection is closed (then nothing was written). */
  write(text: string, paced: boolean): boolean {
    if (!this.open) return false;
    this.sink.write(text);
    const unsent = this.sink.unsent();
    if (paced || unsent <= this.maxUnsent) return true;
    this.open = false;
    this.sink.destroy();
    this.onOverflow(unsent);
    return false;
  }

  message(id: number, event: string | undefined, data: string, paced: boolean) {
    return this.write(frame(id, event, data), paced);
  }

  comment(text: string, paced: boolean) {
    return this.write(`: ${text}\n\n`, paced);
  }

  /** Resolves once the client has taken what was queued (at once when closed). */
  drained(): Promise<void> {
    return this.open ? this.sink.drained() : Promise.resolve();
  }

  /** Ends the response after what is queued. */
  end() {
    if (!this.open) return;
    this.open = false;
    this.sink.end();
  }

  /** The client went away: nothing more is written. */
  gone() {
    this.open = false;
  }
}
