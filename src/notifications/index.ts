import { randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { connect, type Database, type Db } from '../db/client.ts';
import type { Logger } from '../ops/log.ts';
import { startRetention, type Retention } from '../ops/retention.ts';
import { startEmailFallback, type EmailFallback } from './fallback.ts';
import { Heartbeats } from './heartbeats.ts';
import { Hub } from './hub.ts';
import { startListener, type Listener } from './listener.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { Presence } from './presence.ts';
import { retryHint } from './sse.ts';

/** The live-notification machinery of one process, shared by every request (in Deps). */
export interface Notifications {
  processId: string;
  hub: Hub;
  listener: Listener;
  presence: Presence;
  /** Every open stream's heartbeat and session check, batched per tick. */
  heartbeats: Heartbeats;
  fallback: EmailFallback;
  /** Deletes expired sessions, old rate-limit rows and old read notifications (one process at a time). */
  retention: Retention;
  metrics: Metrics;
  maxStreamsPerUser: number;
  /** A stream whose client has not taken this many bytes is closed (it catches up by replay). */
  maxUnsentBytes: number;
  /** Ends every open stream with a jittered retry hint (before shutting down). */
  endStreams(): void;
  close(): Promise<void>;
}

export interface NotificationOptions {
  /** The database URL, for the LISTEN connection of its own. */
  url: string;
  maxUnsentBytes?: number;
}

/** Of these sessions, those not revoked or expired: one query for a whole turn of the heartbeat. */
async function sessionsAlive(sql: Db, ids: string[]) {
  const rows = await sql<{ id: string }[]>`select id from sessions where id = any(${ids}::text[]) and expires_at > now()`;
  return new Set(rows.map((r) => r.id));
}

export async function startNotifications(database: Database, config: Config, log: Logger, opts: NotificationOptions): Promise<Notifications> {
  const processId = randomBytes(6).toString('hex');
  const metrics = createMetrics();
  // The hub reads rows on its own two connections: behind the request pool it would wait for
  // queued checkouts, and a notification would arrive as late as the slowest order (bench/).
  const hubDb = connect(opts.url, 2);
  const hub = new Hub(hubDb.sql, log, metrics);
  const presence = new Presence(database.sql, processId, config.SSE_HEARTBEAT_SECONDS, log);
  const heartbeats = new Heartbeats(config.SSE_HEARTBEAT_SECONDS * 1000, (ids) => sessionsAlive(database.sql, ids), log);
  const listener = await startListener({
    url: opts.url,
    applicationName: `orderbell-listener-${processId}`,
    probe: database.sql,
    log,
    onNotify: (id, recipient) => hub.onNotify(id, recipient),
    onListen: () => hub.catchUp(),
  });
  const fallback = startEmailFallback(database.sql, config, log, metrics);
  const retention = startRetention(database.sql, { notificationsKeepDays: config.NOTIFICATIONS_KEEP_DAYS }, log, metrics.registry);
  return {
    processId,
    hub,
    listener,
    presence,
    heartbeats,
    fallback,
    retention,
    metrics,
    maxStreamsPerUser: config.MAX_STREAMS_PER_USER,
    maxUnsentBytes: opts.maxUnsentBytes ?? 1024 * 1024,
    endStreams: () => hub.endAll(() => retryHint(1000, 4000)),
    async close() {
      hub.endAll(() => retryHint(1000, 4000));
      heartbeats.close();
      await fallback.stop();
      await retention.stop();
      await listener.close();
      await hub.close();
      await hubDb.close();
      await presence.close();
    },
  };
}
