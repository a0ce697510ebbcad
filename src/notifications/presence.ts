import type { Sql } from '../db/client.ts';
import type { Logger } from '../ops/log.ts';

/**
 * Who has a stream open on this process, mirrored to the presence table (one row per user and
 * process) so that any process can tell whether a seller is online. Rows are refreshed every
 * heartbeat; a process that died leaves rows that go stale and are ignored.
 */
export class Presence {
  private readonly counts = new Map<string, number>();
  private writes: Promise<unknown> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly sql: Sql,
    readonly processId: string,
    private readonly heartbeatSeconds: number,
    private readonly log: Logger,
  ) {
    this.timer = setInterval(() => this.refresh(), heartbeatSeconds * 1000);
    this.timer.unref();
  }

  opened(userId: string) {
    this.set(userId, (this.counts.get(userId) ?? 0) + 1);
  }

  closed(userId: string) {
    this.set(userId, (this.counts.get(userId) ?? 1) - 1);
  }

  /** Online while a stream of theirs is open on any process that has reported recently. */
  async isOnline(userId: string): Promise<boolean> {
    const [row] = await this.sql<{ online: boolean }[]>`
      select exists (select 1 from presence where user_id = ${userId} and streams > 0
        and heartbeat_at > now() - make_interval(secs => ${this.heartbeatSeconds * 3})) as online`;
    return row!.online;
  }

  async close() {
    clearInterval(this.timer);
    this.counts.clear();
    await this.queue(() => this.sql`delete from presence where process_id = ${this.processId}`);
  }

  private set(userId: string, streams: number) {
    if (streams > 0) this.counts.set(userId, streams);
    else this.counts.delete(userId);
    void this.queue(() =>
      streams > 0
        ? this.sql`insert into presence (user_id, process_id, streams) values (${userId}, ${this.processId}, ${streams})
            on conflict (user_id, process_id) do update set streams = excluded.streams, heartbeat_at = now()`
        : this.sql`delete from presence where user_id = ${userId} and process_id = ${this.processId}`,
    );
  }

  /** One statement for every user with a stream here. */
  private refresh() {
    if (!this.counts.size) return;
    const users = [...this.counts.keys()];
    const streams = [...this.counts.values()];
    void this.queue(() => this.sql`
      insert into presence (user_id, process_id, streams)
      select u, ${this.processId}, s from unnest(${users}::text[], ${streams}::int[]) x(u, s)
      on conflict (user_id, process_id) do update set streams = excluded.streams, heartbeat_at = now()`);
  }

  /** Writes run in order, so a quick open-then-close never leaves a row behind. */
  private queue(write: () => Promise<unknown>) {
    this.writes = this.writes.then(write).catch((err) => this.log.warn({ err }, 'presence write failed'));
    return this.writes;
  }
}
