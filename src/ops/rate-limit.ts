import type { Db, Pool } from '../db/client.ts';

/**
 * Inside a transaction: counts an attempt for `key` unless `limit` attempts were already counted
 * within the window, and returns the seconds to wait (0 when counted). Stored in Postgres so that
 * limits hold across app processes; an advisory lock per key makes check-and-count atomic, and
 * rolling the transaction back uncounts the attempt.
 */
export async function countAttempt(tx: Db, key: string, limit: number, windowSeconds: number): Promise<{ wait: number; id: string | null }> {
  // Sent together (one round trip); the insert runs after the lock is granted, and its snapshot,
  // taken then, sees every attempt counted before.
  const [, [counted]] = await Promise.all([
    tx`select pg_advisory_xact_lock(hashtext(${key}))`,
    tx<{ id: string }[]>`
      insert into rate_limit_hits (key) select ${key}
      where (select count(*) from rate_limit_hits where key = ${key} and at > now() - make_interval(secs => ${windowSeconds})) < ${limit}
      returning id`,
  ]);
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

export interface Limit {
  key: string;
  limit: number;
  windowSeconds: number;
}

const REFUSED = Symbol('refused');

/**
 * Counts one attempt against every limit at once, in a transaction of its own, for attempts that
 * are judged after it (sign-in). When any limit is reached nothing is counted and `wait` is the
 * longest wait. Keys are locked in one order, so two attempts never wait on each other's locks.
 */
export async function reserveSlot(sql: Pool, limits: Limit[]): Promise<Slot> {
  let wait = 0;
  const ids: string[] = [];
  await sql
    .begin(async (tx) => {
      for (const { key, limit, windowSeconds } of [...limits].sort((a, b) => (a.key < b.key ? -1 : 1))) {
        const hit = await countAttempt(tx, key, limit, windowSeconds);
        if (hit.id !== null) ids.push(hit.id);
        wait = Math.max(wait, hit.wait);
      }
      if (wait) throw REFUSED;
    })
    .catch((err) => {
      if (err !== REFUSED) throw err;
    });
  return {
    wait,
    release: async () => {
      if (!wait && ids.length) await sql`delete from rate_limit_hits where id = any(${ids}::bigint[])`;
    },
  };
}
