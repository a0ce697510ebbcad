import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';

/**
 * Counts attempts for `key` within the window, stored in Postgres so that the limit holds
 * across app processes. An advisory lock per key serialises concurrent checks of one key.
 * Returns the seconds to wait when `limit` attempts were already counted, or 0 (and counts
 * this attempt when `count` is true).
 */
export async function takeSlot(db: Db, key: string, limit: number, windowSeconds: number, count = true): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
    const rows = await tx.execute<{ n: number; oldest: number | null }>(sql`
      select count(*)::int as n, extract(epoch from (min(at) + make_interval(secs => ${windowSeconds}) - now()))::float8 as oldest
      from rate_limit_hits where key = ${key} and at > now() - make_interval(secs => ${windowSeconds})`);
    const { n, oldest } = rows[0]!;
    if (n >= limit) return Math.max(1, Math.ceil(oldest ?? windowSeconds));
    if (count) await tx.execute(sql`insert into rate_limit_hits (key) values (${key})`);
    return 0;
  });
}

export async function countHit(db: Db, key: string) {
  await db.execute(sql`insert into rate_limit_hits (key) values (${key})`);
}

export async function clearHits(db: Db, key: string) {
  await db.execute(sql`delete from rate_limit_hits where key = ${key}`);
}
