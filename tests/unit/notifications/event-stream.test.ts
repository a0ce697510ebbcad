import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { StreamFormat } from '../../../src/notifications/formats.ts';
import { SseWriter, type SseSink } from '../../../src/notifications/sse.ts';
import type { Notice } from '../../../src/notifications/store.ts';
import { EventStream, type Backlog } from '../../../src/notifications/streams.ts';

const log = pino({ level: 'silent' });

/** A client connection in memory: what was written, and how much of it the client has not taken. */
class FakeSink implements SseSink {
  text = '';
  queued = 0;
  /** A reading client takes every write at once; a stalled one leaves it queued. */
  reading = true;
  ended = false;
  destroyed = false;
  private waiting: (() => void)[] = [];
  private gone = () => {};
  write(text: string) {
    this.text += text;
    if (!this.reading) this.queued += Buffer.byteLength(text);
  }
  unsent() {
    return this.queued;
  }
  drained() {
    return this.queued <= 0 ? Promise.resolve() : new Promise<void>((r) => this.waiting.push(r));
  }
  end() {
    this.ended = true;
  }
  destroy() {
    this.destroyed = true;
    this.waiting.splice(0).forEach((r) => r());
  }
  onGone(listener: () => void) {
    this.gone = listener;
  }
  /** The client reads everything queued. */
  take() {
    this.queued = 0;
    this.waiting.splice(0).forEach((r) => r());
  }
  leave() {
    this.waiting.splice(0).forEach((r) => r());
    this.gone();
  }
  /** Ids of the messages written, in order. */
  get ids() {
    return [...this.text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  }
}

const notice = (id: number, type: Notice['type'] = 'order_notification'): Notice => ({
  id, recipientId: 'u1', type, orderId: id, sellerOrderId: null, payload: {}, createdAt: new Date(), readAt: null,
});

/** A backlog whose pages the test hands out one request at a time. */
class ScriptedBacklog implements Backlog {
  requests: { after: number; limit: number; answer(page: Notice[]): void; fail(err: Error): void }[] = [];
  after(after: number, limit: number) {
    return new Promise<Notice[]>((answer, fail) => this.requests.push({ after, limit, answer, fail }));
  }
}

/** Lets pending promise callbacks (renders, queued writes, the replay loop) run. */
const settle = () => new Promise((r) => setTimeout(r, 0));

function makeStream(opts: { start?: number; maxUnsentBytes?: number; format?: StreamFormat; backlogPage?: number } = {}) {
  const sink = new FakeSink();
  const backlog = new ScriptedBacklog();
  const delivered: { id: number; live: boolean }[] = [];
  let closed = 0;
  const stream = new EventStream(
    {
      userId: 'u1',
      format: opts.format ?? { render: (n) => JSON.stringify({ id: n.id }), event: (n) => n.type },
      sink,
      maxUnsentBytes: opts.maxUnsentBytes ?? 1024 * 1024,
      backlog,
      delivered: (n, live) => delivered.push({ id: n.id, live }),
      closed: () => closed++,
      log,
      backlogPage: opts.backlogPage ?? 3,
    },
    opts.start ?? 0,
  );
  stream.open(1000);
  const replayed = stream.replay();
  return { stream, sink, backlog, delivered, replayed, closed: () => closed };
}

describe('EventStream phases', () => {
  it('holds notices pushed while the backlog is read and writes them after it, in order', async () => {
    const { stream, sink, backlog, delivered, replayed } = makeStream({ start: 0 });
    await settle();
    expect(stream.phase).toBe('backlog');
    expect(backlog.requests.map((r) => r.after)).toEqual([0]);
    stream.push(notice(7));
    stream.push(notice(8));
    await settle();
    expect(sink.ids).toEqual([]); // held: the backlog comes first

    backlog.requests[0]!.answer([notice(1), notice(2), notice(3)]); // a full page: another is read
    await settle();
    expect(backlog.requests.map((r) => r.after)).toEqual([0, 3]);
    expect(stream.phase).toBe('backlog');
    backlog.requests[1]!.answer([notice(5)]);
    await replayed;
    await settle();
    expect(stream.phase).toBe('live');
    expect(sink.ids).toEqual([1, 2, 3, 5, 7, 8]);
    expect(delivered).toEqual([
      { id: 1, live: false }, { id: 2, live: false }, { id: 3, live: false }, { id: 5, live: false }, { id: 7, live: true }, { id: 8, live: true },
    ]);

    stream.push(notice(9));
    await settle();
    expect(sink.ids.at(-1)).toBe(9);
  });

  it('ends with a retry hint when reading the backlog fails, and closes once', async () => {
    const { stream, sink, backlog, closed } = makeStream({ start: 0 });
    await settle();
    backlog.requests[0]!.fail(new Error('database away'));
    await settle();
    expect(stream.phase).toBe('closed');
    expect(sink.ended).toBe(true);
    expect(sink.text).toMatch(/retry: \d+\n\n$/);
    expect(closed()).toBe(1);
  });
});

describe('EventStream duplicate suppression', () => {
  it('never writes an id at or below its cursor, across backlog, held and live notices', async () => {
    const { stream, sink, backlog, replayed } = makeStream({ start: 2 });
    await settle();
    stream.push(notice(4)); // also in the backlog: the hub and the table both carry it
    stream.push(notice(6));
    backlog.requests[0]!.answer([notice(3), notice(4)]);
    await replayed;
    stream.push(notice(6)); // pushed again (a NOTIFY after the catch-up read it)
    stream.push(notice(5)); // below the cursor now
    stream.push(notice(2)); // at the client's own cursor
    stream.push(notice(7));
    await settle();
    expect(sink.ids).toEqual([3, 4, 6, 7]);
    expect(stream.cursor()).toBe(7);
  });

  it('moves the cursor past a notice its format does not carry, without writing it', async () => {
    const format: StreamFormat = { render: (n) => String(n.id), carries: (n) => n.type !== 'order_seen' };
    const { stream, sink, backlog, replayed } = makeStream({ start: 0, format });
    await settle();
    backlog.requests[0]!.answer([]);
    await replayed;
    stream.push(notice(1, 'order_seen'));
    stream.push(notice(1));
    stream.push(notice(2));
    await settle();
    expect(sink.ids).toEqual([2]);
    expect(stream.cursor()).toBe(2);
  });

  it('writes in id order even when an earlier notice renders later', async () => {
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const format: StreamFormat = { render: async (n) => (n.id === 1 ? slow.then(() => 'one') : 'two') };
    const { stream, sink, backlog, replayed } = makeStream({ start: 0, format });
    await settle();
    backlog.requests[0]!.answer([]);
    await replayed;
    stream.push(notice(1));
    stream.push(notice(2));
    await settle();
    expect(sink.ids).toEqual([]);
    release();
    await settle();
    expect(sink.ids).toEqual([1, 2]);
  });
});

describe('EventStream backpressure', () => {
  const big: StreamFormat = { render: () => 'x'.repeat(1000) };

  it('closes a live stream once its client leaves more than the bound unsent, and writes nothing after', async () => {
    const { stream, sink, backlog, replayed, closed } = makeStream({ start: 0, maxUnsentBytes: 3000, format: big });
    await settle();
    backlog.requests[0]!.answer([]);
    await replayed;
    sink.reading = false;
    stream.push(notice(1));
    stream.push(notice(2));
    await settle();
    expect(stream.phase).toBe('live'); // ~2 KB unsent: within the bound
    for (let id = 3; id <= 6; id++) stream.push(notice(id)); // live pushes return at once, never waiting
    await settle();
    expect(stream.phase).toBe('closed');
    expect(sink.destroyed).toBe(true);
    expect(sink.ids).toEqual([1, 2, 3]); // the write that passed the bound was the last
    expect(closed()).toBe(1);
    stream.push(notice(7));
    expect(stream.heartbeat()).toBe(false);
    await settle();
    expect(sink.ids).toEqual([1, 2, 3]);
  });

  it('paces the replay on the client instead of closing it: the next page is read once the client took the last', async () => {
    const { stream, sink, backlog, replayed } = makeStream({ start: 0, maxUnsentBytes: 1500, format: big, backlogPage: 3 });
    await settle();
    sink.reading = false;
    backlog.requests[0]!.answer([notice(1), notice(2), notice(3)]); // 3 KB: twice the bound
    await settle();
    expect(stream.phase).toBe('backlog');
    expect(sink.destroyed).toBe(false);
    expect(backlog.requests).toHaveLength(1); // waiting for the client
    sink.take();
    await settle();
    expect(backlog.requests).toHaveLength(2);
    sink.reading = true;
    backlog.requests[1]!.answer([notice(4)]);
    await replayed;
    expect(stream.phase).toBe('live');
    expect(sink.ids).toEqual([1, 2, 3, 4]);
  });

  it('stops replaying when the client goes away, and closes once', async () => {
    const { stream, sink, backlog, replayed, closed } = makeStream({ start: 0, backlogPage: 1 });
    await settle();
    sink.reading = false;
    backlog.requests[0]!.answer([notice(1)]);
    await settle();
    expect(backlog.requests).toHaveLength(1); // waiting for the client to read page 1
    sink.leave();
    await replayed;
    expect(stream.phase).toBe('closed');
    expect(backlog.requests).toHaveLength(1);
    expect(closed()).toBe(1);
  });
});

describe('EventStream endings', () => {
  it('tells a page its session ended before ending the stream', async () => {
    const format: StreamFormat = { render: String, sessionEnded: 'event: session_ended\ndata: {}\n\n' };
    const { stream, sink, closed } = makeStream({ start: 0, format });
    stream.sessionEnded(6000);
    expect(sink.text.endsWith('event: session_ended\ndata: {}\n\nretry: 6000\n\n')).toBe(true);
    expect(sink.ended).toBe(true);
    expect(stream.phase).toBe('closed');
    expect(closed()).toBe(1);
  });
});

describe('SseWriter', () => {
  it('frames every line of the data as its own data field', () => {
    const sink = new FakeSink();
    new SseWriter(sink, 100, () => {}).message(5, 'order_notification', 'a\nb\r\nc', false);
    expect(sink.text).toBe('id: 5\nevent: order_notification\ndata: a\ndata: b\ndata: c\n\n');
  });

  it('lets paced writes pass the bound and closes on the first unpaced write past it', () => {
    const sink = new FakeSink();
    sink.reading = false;
    const overflows: number[] = [];
    const writer = new SseWriter(sink, 10, (n) => overflows.push(n));
    expect(writer.write('x'.repeat(20), true)).toBe(true);
    expect(writer.write('y', false)).toBe(false);
    expect(overflows).toEqual([21]);
    expect(sink.destroyed).toBe(true);
    expect(writer.write('z', true)).toBe(false);
    expect(sink.text).toBe(`${'x'.repeat(20)}y`);
  });
});
