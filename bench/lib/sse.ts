import { request, type ClientRequest } from 'node:http';

/** One `order_notification` as it reached a stream. */
export interface Arrival {
  stream: number;
  id: number;
  orderId: number;
  /** Date.now() when the event's last line was read (the wall clock, like the database's timestamps). */
  at: number;
}

interface Stream {
  userId: string;
  req: ClientRequest;
  seen: Set<number>;
}

/**
 * Many SSE streams on `/api/events` over raw sockets (one per stream, as browsers do), parsing
 * only what the bench needs: `id:`, `event:` and the `orderId` in `data:`. Records every
 * `order_notification` while recording is on, and counts ids a stream received twice.
 */
export class StreamPool {
  readonly streams: Stream[] = [];
  arrivals: Arrival[] = [];
  duplicates = 0;
  /** Streams the server ended or that failed after opening. */
  ended = 0;
  recording = false;

  constructor(private readonly base: string) {}

  /** Opens one stream per user, `parallel` connection attempts at a time; resolves once all are open. */
  async open(users: { userId: string; token: string }[], parallel = 200) {
    let next = 0;
    const worker = async () => {
      while (next < users.length) {
        const u = users[next++]!;
        await this.openOne(u.userId, u.token);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, users.length) }, worker));
  }

  private openOne(userId: string, token: string) {
    const url = new URL('/api/events', this.base);
    const index = this.streams.length;
    return new Promise<void>((done, fail) => {
      let opened = false;
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, agent: false, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } }, (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return fail(new Error(`GET /api/events answered ${res.statusCode}`));
        }
        res.setEncoding('utf8');
        let rest = '';
        let id = 0;
        let event = '';
        let orderId = 0;
        res.on('data', (chunk: string) => {
          if (!opened) {
            opened = true;
            done();
          }
          const lines = (rest + chunk).split('\n');
          rest = lines.pop()!;
          for (const line of lines) {
            if (line === '') {
              if (event === 'order_notification') this.arrived(index, id, orderId);
              event = '';
              orderId = 0;
            } else if (line.startsWith('id: ')) id = Number(line.slice(4));
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ') && event === 'order_notification') orderId = Number(/"orderId":\s*(\d+)/.exec(line)?.[1] ?? 0);
          }
        });
        res.on('end', () => this.ended++);
        res.on('error', () => {});
      });
      req.on('error', (e) => (opened ? this.ended++ : fail(e)));
      this.streams.push({ userId, req, seen: new Set() });
      req.end();
    });
  }

  private arrived(stream: number, id: number, orderId: number) {
    const seen = this.streams[stream]!.seen;
    if (seen.has(id)) this.duplicates++;
    else seen.add(id);
    if (this.recording) this.arrivals.push({ stream, id, orderId, at: Date.now() });
  }

  /** How many of `expected` (recipient user, notification id) each stream of that user missed. */
  lost(expected: { recipientId: string; id: number }[]) {
    return missed(this.streams, expected);
  }

  close() {
    this.recording = false;
    for (const s of this.streams) s.req.destroy();
    this.streams.length = 0;
  }
}

/** How many of `expected` (recipient user, notification id) each of `streams` of that user missed. */
export function missed(streams: readonly { userId: string; seen: Set<number> }[], expected: { recipientId: string; id: number }[]) {
  const byUser = new Map<string, number[]>();
  for (const e of expected) (byUser.get(e.recipientId) ?? byUser.set(e.recipientId, []).get(e.recipientId)!).push(e.id);
  let lost = 0;
  let due = 0;
  for (const s of streams) {
    for (const id of byUser.get(s.userId) ?? []) {
      due++;
      if (!s.seen.has(id)) lost++;
    }
  }
  return { due, lost };
}
