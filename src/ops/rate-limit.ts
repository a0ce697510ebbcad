import type { Sql } from '../db/client.ts';

/**
 * Inside a transaction: counts an attempt for `key` unless `limit` attempts were already counted
 * within the window, and returns the seconds to wait (0 when counted). Stored in Postgres so that
 * limits hold across app processes; an advisory lock per key makes check-and-count atomic, and
 * rolling the transaction back uncounts the attempt.
 */
export async function countAttempt(tx: Sql, key: string, limit: number, windowSeconds: number): Promise<{ wait: number; id: string | null }> {
  await tx`select pg_advisory_xact_lock(hashtext(${key}))`;
  const [counted] = await tx<{ id: string }[]>`
    insert into rate_limit_hits (key) select ${key}
    where (select count(*) from rate_limit_hits where key = ${key} and at > now() - make_interval(secs => ${windowSeconds})) < ${limit}
    returning id`;
  if (counted) return { wait: 0, id: counted.id };
  const [oldest] = await tx<{ wait: number | null }[]>`
    select ceil(extract(epoch from (min(at) + make_interval(secs => ${windowSeconds}) - now())))::int as wait
    from rate_limit_hits where key = ${key} and at > now() - make_interval(secs => ${windowSeconds})`;
  return { wait: Math.max(1, oldest?.wait ?? windowSeconds), id: null };
}

export interface Slot {
  /** Seconds to wait before trying again; 0 when the attempt was counted. */
  wait: number;
  /** Uncounts the attempt (a sign-in that turned out right). */
  release(): Promise<void>;
}

/** `countAttempt` in a transaction of its own, for attempts that are judged after it (sign-in). */
export async function reserveSlot(sql: Sql, key: string, limit: number, windowSeconds: number): Promise<Slot> {
  const hit = await sql.begin((tx) => countAttempt(tx as unknown as Sql, key, limit, windowSeconds));
  return {
    wait: hit.wait,
    release: async () => {
      if (hit.id !== null) await sql`delete from rate_limit_hits where id = ${hit.id}`;
    },
  };
}
