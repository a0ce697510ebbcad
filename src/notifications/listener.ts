import postgres from 'postgres';
import type { Db } from '../db/client.ts';
import type { Logger } from '../ops/log.ts';

export const CHANNEL = 'orderbell';
const WATCH_MS = 5000;

export interface Listener {
  /** Whether the LISTEN connection is up right now (for /readyz): it exists and has run LISTEN. */
  check(): Promise<boolean>;
  readonly applicationName: string;
  close(): Promise<void>;
}

export interface ListenerOptions {
  url: string;
  /** Unique per process, so the connection can be found in pg_stat_activity. */
  applicationName: string;
  /** The main pool, used to check that the LISTEN connection still exists. */
  probe: Db;
  log: Logger;
  onNotify(id: number, recipientId: string): void;
  /** Runs after every (re)connect: whatever was notified while away is gone and must be re-read. */
  onListen(): void;
}

/**
 * One LISTEN connection per process (every extra listening backend slows every NOTIFY).
 * postgres.js re-issues LISTEN after a drop and calls `onListen`; if that re-LISTEN itself
 * fails (database still down), it gives up silently, so a watchdog replaces the connection
 * when it has been missing from pg_stat_activity for two checks in a row.
 */
export async function startListener(opts: ListenerOptions): Promise<Listener> {
  let closed = false;
  let missed = 0;
  let sql = await connectAndListen();

  async function connectAndListen() {
    const conn = postgres(opts.url, { max: 1, onnotice: () => {}, connect_timeout: 5, connection: { application_name: opts.applicationName } });
    await conn.listen(
      CHANNEL,
      (payload) => {
        const [id, recipient] = payload.split(':');
        if (id && recipient) opts.onNotify(Number(id), recipient);
      },
      () => {
        missed = 0;
        opts.log.info({ applicationName: opts.applicationName }, 'listening for notifications');
        opts.onListen();
      },
    );
    return conn;
  }

  const check = async () => {
    const [row] = await opts.probe`select count(*)::int as n from pg_stat_activity
      where application_name = ${opts.applicationName} and query ilike 'listen %'`.catch(() => [{ n: 0 }]);
    return !closed && row!.n > 0;
  };

  const watchdog = setInterval(async () => {
    if ((await check()) || closed) return void (missed = 0);
    if (++missed < 2) return;
    opts.log.warn('LISTEN connection lost; reconnecting');
    missed = 0;
    const old = sql;
    sql = await connectAndListen().catch((e) => (opts.log.error({ err: e }, 'LISTEN reconnect failed'), old));
    if (sql !== old) void old.end({ timeout: 1 }).catch(() => {});
  }, WATCH_MS);
  watchdog.unref();

  return {
    check,
    applicationName: opts.applicationName,
    async close() {
      closed = true;
      clearInterval(watchdog);
      await sql.end({ timeout: 2 });
    },
  };
}
