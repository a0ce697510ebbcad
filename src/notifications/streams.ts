import type { Context } from 'hono';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Db } from '../db/client.ts';
import type { SignedInEnv } from '../env.ts';
import { AppError } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import type { Logger } from '../ops/log.ts';
import type { StreamFormat } from './formats.ts';
import type { Subscriber } from './hub.ts';
import { afterHead, nodeSink, webStreamSink } from './sinks.ts';
import { retryHint, SseWriter, type SseSink } from './sse.ts';
import { latestId, noticesAfter, type Notice } from './store.ts';

const BACKLOG_PAGE = 100;
const cursorSchema = z.object({ after: z.string().regex(/^\d{1,15}$/, 'A notification id (a whole number).').transform(Number).optional() });

/** Rendered once per notice and format, however many streams (tabs) of the recipient get it. */
const rendered = new WeakMap<StreamFormat, WeakMap<Notice, Promise<string>>>();
function renderOnce(format: StreamFormat, notice: Notice) {
  let cache = rendered.get(format);
  if (!cache) rendered.set(format, (cache = new WeakMap()));
  let out = cache.get(notice);
  if (!out) cache.set(notice, (out = Promise.resolve().then(() => format.render(notice))));
  return out;
}

/** The recipient's stored notifications, as a stream reads its backlog. */
export interface Backlog {
  /** Up to `limit` notices after `after`, oldest first. */
  after(after: number, limit: number): Promise<Notice[]>;
}

export interface EventStreamParts {
  userId: string;
  format: StreamFormat;
  sink: SseSink;
  /** Unsent bytes past which a live write closes the stream. */
  maxUnsentBytes: number;
  backlog: Backlog;
  /** A notice was written: `live` when it came from the hub, not from the backlog. */
  delivered(notice: Notice, live: boolean): void;
  /** Called once when the stream closes, whatever the reason. */
  closed(): void;
  log: Logger;
  backlogPage?: number;
}

/** A user's stored notifications (one object per stream, its methods shared: decision 020). */
class UserBacklog implements Backlog {
  constructor(
    private readonly sql: Db,
    private readonly userId: string,
  ) {}

  after(after: number, limit: number) {
    return noticesAfter(this.sql, this.userId, after, limit);
  }
}

/**
 * - `backlog`: pages of stored notices after the client's cursor are written, each page once the
 *   client has taken the last (the replay paces itself); notices the hub pushes meanwhile are held.
 * - `live`: the held notices, then each pushed one, are written at once (never waiting).
 * - `closed`: nothing more is written.
 */
export type StreamPhase = 'backlog' | 'live' | 'closed';

/**
 * One open SSE stream of a user's notifications: the backlog after the cursor, then live ones,
 * never an id twice. Subscribe it to the hub before `replay()`, so nothing committed in between
 * is missed: the hub's pushes wait in `held` until the backlog is written.
 */
export class EventStream implements Subscriber {
  readonly userId: string;
  private current: StreamPhase = 'backlog';
  /** The newest id queued for this client. */
  private last: number;
  private readonly held: Notice[] = [];
  /** Writes in id order, whatever order the renders finish in. */
  private writes = Promise.resolve();
  private readonly writer: SseWriter;

  /** `start`: the client's cursor, or the newest id when the stream was answered (see `openStream`). */
  constructor(
    private readonly parts: EventStreamParts,
    start: number,
  ) {
    this.userId = parts.userId;
    this.last = start;
    this.writer = new SseWriter(parts.sink, parts.maxUnsentBytes, (unsent) => {
      parts.log.info({ userId: parts.userId, unsent }, 'closing a stream whose client stopped reading');
      this.stop();
    });
    parts.sink.onGone(() => {
      this.writer.gone();
      this.stop();
    });
  }

  get phase() {
    return this.current;
  }

  cursor() {
    return this.last;
  }

  /** Tells the client how soon to reconnect, then reads the backlog and goes live. */
  open(retryMs: number) {
    this.write(`retry: ${retryMs}\n: connected\n\n`);
  }

  push(notice: Notice) {
    if (this.current === 'backlog') this.held.push(notice);
    else this.send(notice, true);
  }

  async replay() {
    const { backlog, log } = this.parts;
    const pageSize = this.parts.backlogPage ?? BACKLOG_PAGE;
    try {
      while (this.current === 'backlog') {
        const page = await backlog.after(this.last, pageSize);
        for (const notice of page) this.send(notice, false);
        await this.writes;
        await this.writer.drained();
        if (page.length < pageSize) break;
      }
      if (this.current !== 'backlog') return;
      this.current = 'live';
      for (const notice of this.held.splice(0)) this.send(notice, true);
    } catch (err) {
      log.error({ err }, 'reading the notification backlog failed');
      this.end(retryHint());
    }
  }

  /** A comment that keeps proxies from timing the connection out; false once closed. */
  heartbeat() {
    return this.writer.comment('heartbeat', this.current === 'backlog');
  }

  /** The session behind the stream has ended: the page hears so, and the client comes back later. */
  sessionEnded(retryMs: number) {
    if (this.parts.format.sessionEnded) this.write(this.parts.format.sessionEnded);
    this.end(retryMs);
  }

  /** Ends the stream cleanly, telling the client when to come back. */
  end(retryMs: number) {
    if (!this.write(`retry: ${retryMs}\n\n`)) return;
    this.stop();
    this.writer.end();
  }

  private write(text: string) {
    return this.writer.write(text, this.current === 'backlog');
  }

  private send(notice: Notice, live: boolean) {
    const { format, log } = this.parts;
    if (this.current === 'closed' || notice.id <= this.last) return;
    this.last = notice.id;
    if (format.carries && !format.carries(notice)) return;
    const data = renderOnce(format, notice);
    this.writes = this.writes.then(async () => {
      const body = await data.catch((err) => void log.error({ err, id: notice.id }, 'rendering a notification failed'));
      if (body === undefined || !this.writer.message(notice.id, format.event?.(notice), body, this.current === 'backlog')) return;
      this.parts.delivered(notice, live);
    });
  }

  private stop() {
    if (this.current === 'closed') return;
    this.current = 'closed';
    this.held.length = 0;
    this.parts.closed();
  }
}

/**
 * GET /api/events and /events: an SSE stream of the signed-in user's notifications after the
 * client's cursor (`Last-Event-ID`, else `?after=`; none means "from now"). At most
 * `maxStreamsPerUser` per user across processes (else 429).
 */
export async function openStream(c: Context<SignedInEnv>, format: StreamFormat) {
  const { notifications: live, database, log } = c.get('deps');
  const userId = c.get('user').id;
  const sessionId = c.get('session').id;
  const sql = database.sql;
  const sent = parse(cursorSchema, { after: c.req.header('last-event-id') || c.req.query('after') }).after;
  // "From now" is fixed before the client hears 200: whatever it does once answered (place an
  // order) comes after the cursor. Read after the answer, a commit could slip in first and be
  // taken for history, never sent.
  const cursor = sent ?? (await latestId(sql, userId));
  if (!(await live.presence.tryOpen(userId, live.maxStreamsPerUser))) {
    throw new AppError(
      429,
      'too_many_streams',
      `You already have ${live.maxStreamsPerUser} live connections open (tabs, windows or devices). Close some of them, then reload this page.`,
      undefined,
      { 'Retry-After': '30' },
    );
  }
  const start = (sink: SseSink) => {
    let unsubscribe = () => {};
    let unbeat = () => {};
    const stream = new EventStream(
      {
        userId,
        format,
        sink,
        maxUnsentBytes: live.maxUnsentBytes,
        backlog: new UserBacklog(sql, userId),
        delivered(notice, isLive) {
          live.metrics.delivered.inc();
          if (isLive) live.metrics.latency.observe(Math.max(0, Date.now() - notice.createdAt.getTime()) / 1000);
          live.hub.markDelivered(notice.id);
        },
        closed() {
          unbeat();
          unsubscribe();
          live.presence.closed(userId);
          live.metrics.openStreams.dec();
        },
        log,
      },
      cursor,
    );
    stream.open(retryHint());
    unsubscribe = live.hub.subscribe(stream);
    unbeat = live.heartbeats.add(stream, sessionId);
    live.metrics.openStreams.inc();
    void stream.replay();
  };
  const headers = {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-store, no-transform',
    'X-Accel-Buffering': 'no',
  };
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing) {
    const { body, sink } = webStreamSink();
    start(sink);
    return c.body(body, 200, headers);
  }
  afterHead(outgoing, () => start(nodeSink(outgoing)), () => live.presence.closed(userId));
  return c.body(null, 200, headers);
}
