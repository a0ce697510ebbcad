import type { Context } from 'hono';
import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import type { SignedInEnv } from '../env.ts';
import { AppError } from '../http/errors.ts';
import { parse } from '../http/validate.ts';
import type { StreamFormat } from './formats.ts';
import type { Subscriber } from './hub.ts';
import { latestId, noticesAfter, type Notice } from './store.ts';

const BACKLOG_PAGE = 100;
const encoder = new TextEncoder();
const cursorSchema = z.object({ after: z.string().regex(/^\d{1,15}$/, 'A notification id (a whole number).').transform(Number).optional() });

/** A reconnect delay with jitter, so a restart does not bring every client back in the same millisecond. */
export const retryHint = (base = 1000, spread = 2000) => Math.round(base + Math.random() * spread);

/** Rendered once per notice and format, however many streams (tabs) of the recipient get it. */
const rendered = new WeakMap<StreamFormat, WeakMap<Notice, Promise<string>>>();
function renderOnce(format: StreamFormat, notice: Notice) {
  let cache = rendered.get(format);
  if (!cache) rendered.set(format, (cache = new WeakMap()));
  let out = cache.get(notice);
  if (!out) cache.set(notice, (out = Promise.resolve().then(() => format.render(notice))));
  return out;
}

function frame(id: number, event: string | undefined, data: string) {
  let text = `id: ${id}\n${event ? `event: ${event}\n` : ''}`;
  for (const line of data.split(/\r\n|\r|\n/)) text += `data: ${line}\n`;
  return `${text}\n`;
}

/**
 * An SSE stream of the signed-in user's notifications: the backlog after the client's cursor
 * (`Last-Event-ID`, else `?after=`; none means "from now"), then live ones, never an id twice.
 * It subscribes to the hub before reading the backlog. Writes only queue bytes: a client that
 * stops reading is disconnected once its unsent bytes pass the bound, and catches up by replay.
 */
export async function openStream(c: Context<SignedInEnv>, format: StreamFormat) {
  const { notifications: live, database, log } = c.get('deps');
  const user = c.get('user');
  const session = c.get('session');
  const start = parse(cursorSchema, { after: c.req.header('last-event-id') || c.req.query('after') }).after;
  if (!(await live.presence.tryOpen(user.id, live.maxStreamsPerUser))) {
    throw new AppError(
      429,
      'too_many_streams',
      `You already have ${live.maxStreamsPerUser} live connections open (tabs, windows or devices). Close some of them, then reload this page.`,
      undefined,
      { 'Retry-After': '30' },
    );
  }
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  const sql = database.sql;

  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let open = true;
  let cursor = start; // the newest id queued for this client
  let replaying = true;
  const early: Notice[] = [];
  let writes = Promise.resolve();
  let heartbeat: NodeJS.Timeout | undefined;
  let unsubscribe = () => {};
  let pulled: (() => void) | undefined;

  const unsent = () => -(controller.desiredSize ?? 0);
  /** The replay paces itself on the client (awaiting its own stream only); live writes never wait. */
  const drained = () => (unsent() <= 0 || !open ? Promise.resolve() : new Promise<void>((r) => (pulled = r)));
  function write(text: string) {
    if (!open) return false;
    controller.enqueue(encoder.encode(text));
    if (replaying || unsent() <= live.maxUnsentBytes) return true;
    log.info({ userId: user.id, unsent: unsent() }, 'closing a stream whose client stopped reading');
    stop();
    if (outgoing) outgoing.destroy();
    else controller.error(new Error('client stopped reading'));
    return false;
  }

  function send(notice: Notice, isLive: boolean) {
    if (!open || notice.id <= (cursor ?? -1)) return;
    cursor = notice.id;
    if (format.carries && !format.carries(notice)) return;
    const data = renderOnce(format, notice);
    writes = writes.then(async () => {
      const body = await data.catch((err) => void log.error({ err, id: notice.id }, 'rendering a notification failed'));
      if (body === undefined || !write(frame(notice.id, format.event?.(notice), body))) return;
      live.metrics.delivered.inc();
      if (isLive) live.metrics.latency.observe(Math.max(0, Date.now() - notice.createdAt.getTime()) / 1000);
      live.hub.markDelivered(notice.id);
    });
  }

  const subscriber: Subscriber = {
    userId: user.id,
    cursor: () => cursor,
    push: (notice) => (replaying ? early.push(notice) : send(notice, true)),
    end,
  };

  function stop() {
    if (!open) return;
    open = false;
    pulled?.();
    clearTimeout(heartbeat);
    unsubscribe();
    live.presence.closed(user.id);
    live.metrics.openStreams.dec();
  }

  /** Ends the stream cleanly, telling the client when to come back. */
  function end(retryMs: number) {
    if (!write(`retry: ${retryMs}\n\n`)) return;
    stop();
    controller.close();
  }

  async function replay() {
    try {
      if (cursor === undefined) cursor = await latestId(sql, user.id);
      for (let page: Notice[] = []; open; ) {
        page = await noticesAfter(sql, user.id, cursor, BACKLOG_PAGE);
        for (const notice of page) send(notice, false);
        await writes;
        await drained();
        if (page.length < BACKLOG_PAGE) break;
      }
      replaying = false;
      for (const notice of early.splice(0)) send(notice, true);
    } catch (err) {
      log.error({ err }, 'reading the notification backlog failed');
      end(retryHint());
    }
  }

  /** Staggered across streams; also where a revoked or expired session ends the stream. */
  function beat(delay: number) {
    heartbeat = setTimeout(async () => {
      if (!write(': heartbeat\n\n')) return;
      const [valid] = await sql`select 1 from sessions where id = ${session.id} and expires_at > now()`.catch(() => [1]);
      if (!valid) {
        if (format.sessionEnded) write(format.sessionEnded);
        return end(retryHint(5000, 5000));
      }
      if (open) beat(live.heartbeatMs);
    }, delay);
  }

  const body = new ReadableStream<Uint8Array>(
    {
      start(ctrl) {
        controller = ctrl;
        write(`retry: ${retryHint()}\n: connected\n\n`);
        unsubscribe = live.hub.subscribe(subscriber);
        live.metrics.openStreams.inc();
        beat(Math.random() * live.heartbeatMs);
        void replay();
      },
      pull: () => {
        pulled?.();
        pulled = undefined;
      },
      cancel: stop,
    },
    { highWaterMark: 0, size: (chunk) => chunk.byteLength },
  );
  return c.body(body, 200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-store, no-transform',
    'X-Accel-Buffering': 'no',
  });
}
