import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/client.ts';
import { Presence } from '../../../src/notifications/presence.ts';
import { freshDatabase } from '../../helpers/db.ts';
import { makeUser } from '../../helpers/factories.ts';

let database: Database;
let presence: Presence;
beforeAll(async () => {
  ({ database } = await freshDatabase());
  presence = new Presence(database.sql, 'presence-test', 15, pino({ level: 'silent' }));
});
afterAll(async () => {
  await presence.close();
  await database.close();
});

const rowsOf = (ids: string[]) =>
  database.sql<{ user_id: string; streams: number }[]>`select user_id, streams from presence where process_id = 'presence-test' and user_id = any(${ids}::text[]) order by user_id`;
const lastSeenOf = (ids: string[]) => database.sql<{ id: string; last_seen_at: Date | null }[]>`select id, last_seen_at from users where id = any(${ids}::text[])`;

describe('Presence', () => {
  it('removes the rows of many users whose last streams close together and records when each was last seen, while a user who opens again at once stays', async () => {
    const users = await Promise.all(Array.from({ length: 40 }, () => makeUser(database.orm, 'seller')));
    const ids = users.map((u) => u.id);
    for (const id of ids) expect(await presence.tryOpen(id, 5)).toBe(true);
    expect(await rowsOf(ids)).toHaveLength(40);

    const back = ids[0]!;
    for (const id of ids) presence.closed(id);
    // Queued after its own close, so after the one statement that writes all forty closes.
    expect(await presence.tryOpen(back, 5)).toBe(true);

    expect(await rowsOf(ids)).toEqual([{ user_id: back, streams: 1 }]);
    const seen = await lastSeenOf(ids.slice(1));
    expect(seen).toHaveLength(39);
    expect(seen.filter((u) => u.last_seen_at === null)).toEqual([]);
    expect(await presence.isOnline(back)).toBe(true);
    expect(await presence.isOnline(ids[1]!)).toBe(false);
  });
});
