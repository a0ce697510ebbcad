import type { Db, Pool } from '../db/client.ts';
import type { Logger } from '../ops/log.ts';

/** A process's presence rows count while its heartbeat is younger than this (three beats). */
export const presenceFreshSeconds = (heartbeatSeconds: number) => heartbeatSeconds * 3;

/**
 * Who has a stream open on this process, mirrored to the presence table (one row per user and
 * process) so that any process can tell whether a seller is online. Every heartbeat the table is
 * made to match this process's counts again; a process that died leaves rows that go stale and
 * are ignored.
 */
export class Presence {
  private readonly counts = new Map<string, number>();
  /** Each user's changes run in order; different users' run side by side. */
  private readonly chains = new Map<string, Promise<unknown>>();
  /** Users whose last stream here closed in this turn of the event loop, and the statement that will write them. */
  private leaving: string[] = [];
  private leavingWritten: Promise<unknown> | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sql: Pool,
    readonly processId: string,
    private readonly heartbeatSeconds: number,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => this.refresh(), heartbeatSeconds * 1000);
    this.timer.unref();
  }

  /**
   * Counts a new stream of the user unless they already hold `max` across all processes (rows of
   * processes that stopped reporting are ignored), so that nobody can pile up streams, each costing
   * memory, a socket and heartbeat queries. A per-user advisory lock keeps two processes from both
   * taking the last place; the write queue keeps it in order with this process's own opens and closes.
   */
  tryOpen(userId: string, max: number): Promise<boolean> {
    return this.queue(userId, async () => {
      const mine = (this.counts.get(userId) ?? 0) + 1;
      const opened = await this.sql.begin(async (tx) => {
        await tx`select pg_advisory_xact_lock(hashtext(${`streams:${userId}`}))`;
        const [others] = await tx<{ n: number }[]>`
          select coalesce(sum(streams), 0)::int as n from presence where user_id = ${userId} and process_id <> ${this.processId}
            and heartbeat_at > now() - make_interval(secs => ${presenceFreshSeconds(this.heartbeatSeconds)})`;
        if (others!.n + mine > max) return false;
        await this.upsert(tx, userId, mine);
        return true;
      });
      if (opened) this.counts.set(userId, mine);
      return opened;
    }, true);
  }

  closed(userId: string) {
    void this.queue(userId, () => {
      const streams = (this.counts.get(userId) ?? 1) - 1;
      if (streams > 0) this.counts.set(userId, streams);
      else this.counts.delete(userId);
      return streams > 0 ? this.upsert(this.sql, userId, streams) : this.lastStreamClosed(userId);
    });
  }

  /**
   * Their last stream here closed: the row goes, and when they were last seen is kept (/admin/stores).
   * Users leaving in the same turn of the event loop (a proxy restarting, many tabs closing) share
   * one statement: one each kept thousands of queued queries and their closures alive for seconds
   * (decision 020). Each user's queue waits for the statement that holds their row, so a reopen
   * still comes after it.
   */
  private lastStreamClosed(userId: string) {
    this.leaving.push(userId);
    return (this.leavingWritten ??= new Promise<void>((next) => setImmediate(next)).then(() => {
      const users = JSON.stringify(this.leaving);
      this.leaving = [];
      this.leavingWritten = undefined;
      return this.sql`with gone as (delete from presence where process_id = ${this.processId} and user_id in (select json_array_elements_text(${users}::json)))
        update users set last_seen_at = now() where id in (select json_array_elements_text(${users}::json))`;
    }));
  }

  private upsert(sql: Db, userId: string, streams: number) {
    return sql`insert into presence (user_id, process_id, streams) values (${userId}, ${this.processId}, ${streams})
      on conflict (user_id, process_id) do update set streams = excluded.streams, heartbeat_at = now()`;
  }

  /** Online while a stream of theirs is open on any process that has reported recently. */
  async isOnline(userId: string): Promise<boolean> {
    const [row] = await this.sql<{ online: boolean }[]>`
      select exists (select 1 from presence where user_id = ${userId} and streams > 0
        and heartbeat_at > now() - make_interval(secs => ${presenceFreshSeconds(this.heartbeatSeconds)})) as online`;
    return row!.online;
  }

  async close() {
    clearInterval(this.timer);
    await Promise.all(this.chains.values());
    this.counts.clear();
    await this.sql`with gone as (delete from presence where process_id = ${this.processId} returning user_id)
      update users set last_seen_at = now() where id in (select user_id from gone)`.catch((err) => this.log.warn({ err }, 'presence write failed'));
  }

  /**
   * Makes this process's rows match its counts, in one statement: fresh heartbeats, and rows that a
   * failed write or a write overtaken by another left wrong are set right (or deleted) within a beat.
   * The counts travel as two JSON arrays: postgres.js escapes a text[] parameter element by element
   * in JavaScript (23-43 ms per beat at 19,000 users, the event loop held; JSON.stringify 2.5-7 ms).
   */
  private refresh() {
    const users = JSON.stringify([...this.counts.keys()]);
    const streams = JSON.stringify([...this.counts.values()]);
    void this.sql`
      with mine as (select user_id, streams::int from rows from (json_array_elements_text(${users}::json), json_array_elements_text(${streams}::json)) x(user_id, streams)),
      gone as (delete from presence where process_id = ${this.processId} and user_id not in (select user_id from mine))
      insert into presence (user_id, process_id, streams)
      select user_id, ${this.processId}, streams from mine
      on conflict (user_id, process_id) do update set streams = excluded.streams, heartbeat_at = now()`.catch((err) =>
      this.log.warn({ err }, 'presence refresh failed'),
    );
  }

  /**
   * A user's changes run one at a time and in order, counts and writes together, so a quick
   * open-then-close never leaves a row behind. A failed write is logged; with `rethrow` its caller
   * also hears of it.
   */
  private queue<T>(userId: string, change: () => Promise<T>, rethrow?: true): Promise<T> {
    const done = (this.chains.get(userId) ?? Promise.resolve()).then(change);
    const settled = done.catch((err) => this.log.warn({ err, userId }, 'presence write failed'));
    this.chains.set(userId, settled);
    void settled.then(() => {
      if (this.chains.get(userId) === settled) this.chains.delete(userId);
    });
    return rethrow ? done : (settled as Promise<T>);
  }
}
