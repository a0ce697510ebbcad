import { Counter, Gauge, type Registry } from 'prom-client';
import type { Pool } from '../db/client.ts';
import type { Logger } from './log.ts';

/** rate_limit_hits rows count for 15 minutes at most (sign-in); a day leaves room for any window. */
const RATE_LIMIT_KEEP_SECONDS = 24 * 3600;
const BATCH = 5000;
const EVERY_MS = 3600_000;
const FIRST_AFTER_MS = 60_000;
// Any fixed 64-bit key, the same in every process.
export const RETENTION_LOCK_KEY = 0x6f62_7265_7465;

export interface RetentionOptions {
  notificationsKeepDays: number;
}

export interface RetentionRun {
  /** False when another process held the lock and this pass did nothing. */
  ran: boolean;
  deleted: { sessions: number; rateLimitHits: number; notifications: number };
}

export interface Retention {
  runOnce(): Promise<RetentionRun>;
  stop(): Promise<void>;
}

/**
 * Deletes what only grows: expired sessions, rate-limit rows past every window, and notifications
 * that were read and are older than NOTIFICATIONS_KEEP_DAYS (unread ones are the queue and stay;
 * so do those an outbox email refers to). One process at a time: a session advisory lock on a
 * reserved connection, tried, never waited for. Deletes run in batches so no pass holds long locks.
 * Also puts each table's size on /metrics, so growth shows before it hurts.
 */
export function startRetention(sql: Pool, opts: RetentionOptions, log: Logger, registry: Registry): Retention {
  const deletedTotal = new Counter({ name: 'orderbell_retention_deleted_total', help: 'Rows deleted by the retention job', labelNames: ['table'], registers: [registry] });
  new Gauge({
    name: 'orderbell_table_bytes',
    help: 'On-disk size of each table with its indexes and TOAST',
    labelNames: ['table'],
    registers: [registry],
    async collect() {
      const rows = await sql<{ table: string; bytes: number }[]>`
        select c.relname as table, pg_total_relation_size(c.oid)::float8 as bytes
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public' and c.relkind = 'r'`.catch(() => []);
      this.reset();
      for (const r of rows) this.set({ table: r.table }, r.bytes);
    },
  });

  async function inBatches(table: string, remove: () => Promise<{ count: number }>) {
    let total = 0;
    for (let n = BATCH; n === BATCH; total += n) n = (await remove()).count;
    deletedTotal.inc({ table }, total);
    return total;
  }

  async function runOnce(): Promise<RetentionRun> {
    const conn = await sql.reserve();
    try {
      const [lock] = await conn<{ got: boolean }[]>`select pg_try_advisory_lock(${RETENTION_LOCK_KEY}::bigint) as got`;
      if (!lock!.got) return { ran: false, deleted: { sessions: 0, rateLimitHits: 0, notifications: 0 } };
      try {
        const deleted = {
          sessions: await inBatches('sessions', () => conn`
            delete from sessions where id in (select id from sessions where expires_at < now() limit ${BATCH})`),
          rateLimitHits: await inBatches('rate_limit_hits', () => conn`
            delete from rate_limit_hits where id in (select id from rate_limit_hits
              where at < now() - make_interval(secs => ${RATE_LIMIT_KEEP_SECONDS}) limit ${BATCH})`),
          notifications: await inBatches('notifications', () => conn`
            delete from notifications where id in (select n.id from notifications n
              where n.read_at is not null and n.created_at < now() - make_interval(days => ${opts.notificationsKeepDays})
                and not exists (select 1 from email_outbox e where e.notification_id = n.id)
              limit ${BATCH})`),
        };
        if (deleted.sessions + deleted.rateLimitHits + deleted.notifications) log.info({ deleted }, 'retention pass deleted old rows');
        return { ran: true, deleted };
      } finally {
        await conn`select pg_advisory_unlock(${RETENTION_LOCK_KEY}::bigint)`;
      }
    } finally {
      conn.release();
    }
  }

  let running: Promise<unknown> = Promise.resolve();
  const pass = () => {
    running = runOnce().catch((err) => log.error({ err }, 'retention pass failed'));
  };
  const first = setTimeout(pass, FIRST_AFTER_MS);
  const timer = setInterval(pass, EVERY_MS);
  first.unref();
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearTimeout(first);
      clearInterval(timer);
      await running;
    },
  };
}
