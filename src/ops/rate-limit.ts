import type { Sql } from '../db/client.ts';

export interface Slot {
  /** Seconds to wait before trying again; 0 when the attempt was counted. */
  wait: number;
  /** Uncounts the attempt (a sign-in that turned out right, an order that was not placed). */
  release(): Promise<void>;
}

/**
 * Counts an attempt for `key` unless `limit` attempts were already counted within the window.
 * Stored in Postgres so that the limit holds across app processes; an advisory lock per key makes
 * check-and-count atomic, so a burst of parallel attempts cannot slip past the limit.
 */
export async function reserveSlot(sql: Sql, key: string, limit: number, windowSeconds: number): Promise<Slot> {
  const hit = await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext(${key}))`;
    const [row] = await tx<{ n: number; wait: number | null }[]>`
      select count(*)::int as n, ceil(extract(epoch from (min(at) + make_interval(secs => ${windowSeconds}) - now())))::int as wait
      from rate_limit_hits where key = ${key} and at > now() - make_interval(secs => ${windowSeconds})`;
    if (row!.n >= limit) return { wait: Math.max(1, row!.wait ?? windowSeconds), id: null };
    const [inserted] = await tx<{ id: string }[]>`insert into rate_limit_hits (key) values (${key}) returning id`;
    return { wait: 0, id: inserted!.id };
  });
  return {
    wait: hit.wait,
    release: async () => {
      if (hit.id !== null) await sql`delete from rate_limit_hits where id = ${hit.id}`;
    },
  };
}
