export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/**
 * A small fetch-based SSE reader (like EventSource, but it can send any header and shows what
 * came over the wire, comments and `retry:` included). It does not reconnect by itself.
 */
export class SseStream {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  retry?: number;
  /** The server ended the stream cleanly. */
  ended = false;
  /** The connection broke (reset, or a body that ended mid-message) instead of ending cleanly. */
  failure?: unknown;
  private closing = false;
  private wake = () => {};
  private done!: Promise<void>;

  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {}

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
    const stream = new SseStream(response, abort);
    stream.done = response.ok ? stream.read() : Promise.resolve();
    return stream;
  }

  get ids() {
    return this.events.map((e) => Number(e.id));
  }

  /** Resolves once `n` events arrived (fails after `ms`). */
  async waitFor(n: number, ms = 5000): Promise<SseEvent[]> {
    await this.until(() => this.events.length >= n, ms, `${n} events (got ${this.events.length}: ${this.ids.join(',')})`);
    return this.events.slice(0, n);
  }

  /** Resolves when the server ended the stream cleanly; fails if it broke instead. */
  async waitForEnd(ms = 5000) {
    await this.until(() => this.ended || this.failure !== undefined, ms, 'the stream to end');
    if (this.failure !== undefined) throw new Error(`the stream broke instead of ending: ${String(this.failure)}`);
  }

  /** Resolves when the connection broke (the server cut the client off). */
  async waitForFailure(ms = 5000) {
    await this.until(() => this.ended || this.failure !== undefined, ms, 'the stream to break');
    if (this.failure === undefined) throw new Error('the stream ended cleanly instead of breaking');
  }

  /** Resolves once `n` comments with this text arrived, e.g. heartbeats. */
  async waitForComments(text: string, n = 1, ms = 5000) {
    const count = () => this.comments.filter((c) => c === text).length;
    await this.until(() => count() >= n, ms, `${n} "${text}" comments (got ${count()})`);
  }

  async close() {
    this.closing = true;
    this.abort.abort();
    await this.done.catch(() => {});
  }

  private async until(ok: () => boolean, ms: number, what: string) {
    const deadline = Date.now() + ms;
    while (!ok()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.wake = () => (clearTimeout(t), r());
      });
    }
  }

  private async read() {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
        }
        this.wake();
      }
      if (buffer.trim()) throw new Error(`the body ended inside a message: ${buffer.slice(0, 80)}`);
      this.ended = true;
    } catch (err) {
      if (!this.closing) this.failure = err; // not our own close(): the connection broke
    }
    this.wake();
  }

  private parse(block: string) {
    const event: SseEvent = { event: 'message', data: '' };
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      const [, field, value = ''] = line.match(/^([^:]+):? ?(.*)$/) ?? [];
      if (field === 'id') event.id = value;
      else if (field === 'event') event.event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'retry') this.retry = Number(value);
    }
    if (data.length) this.events.push({ ...event, data: data.join('\n') });
  }
}
