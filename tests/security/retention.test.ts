import { afterAll, beforeAll, expect, it } from 'vitest';
import { connect } from '../../src/db/client.ts';
import { RETENTION_LOCK_KEY } from '../../src/ops/retention.ts';
import { testApp, type TestApp } from '../helpers/app.ts';
import { apiClient, makeCustomer, makeSeller } from '../helpers/factories.ts';

/** The retention job: expired sessions, old rate-limit rows and old read notifications go; one process at a time. */
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ NOTIFICATIONS_KEEP_DAYS: '30', ORDER_RATE_LIMIT_PER_MINUTE: '1000' });
});
afterAll(() => t.close());

const count = async (query: string) => (await t.database.sql.unsafe<{ n: number }[]>(`select count(*)::int as n from ${query}`))[0]!.n;

it('deletes expired sessions, rate-limit rows past every window and read notifications older than NOTIFICATIONS_KEEP_DAYS; keeps the rest', async () => {
  const sql = t.database.sql;
  const s = await makeSeller(t.database.orm);
  const customer = await makeCustomer(t.database.orm);
  const api = await apiClient(t.app, customer.email);
  const live = await apiClient(t.app, customer.email);
  for (let i = 0; i < 4; i++) {
    expect((await api.json('POST', '/api/orders', { items: [{ productId: s.products[0]!.id, quantity: 1 }], deliveryAddress: '6 Old Road' })).status).toBe(201);
  }
  const ids = (await sql<{ id: number }[]>`select id::float8 as id from notifications where recipient_id = ${s.user.id} order by id`).map((r) => r.id);
  expect(ids).toHaveLength(4);
  const [oldRead, oldUnread, newRead, oldReadEmailed] = ids as [number, number, number, number];
  await sql`update notifications set created_at = now() - interval '31 days', read_at = now() - interval '30 days' where id in (${oldRead}, ${oldReadEmailed})`;
  await sql`update notifications set created_at = now() - interval '31 days' where id = ${oldUnread}`;
  await sql`update notifications set read_at = now() where id = ${newRead}`;
  await sql`insert into email_outbox (notification_id, "to", subject, body) values (${oldReadEmailed}, 'a@example.test', 's', 'b')`;
  await sql`update sessions set expires_at = now() - interval '1 minute' where id = ${api.token!}`;
  await sql`insert into rate_limit_hits (key, at) values ('old', now() - interval '2 days'), ('recent', now() - interval '10 minutes')`;

  const run = await t.deps.notifications.retention.runOnce();
  expect(run.ran).toBe(true);
  expect(run.deleted.notifications).toBe(1);
  expect(run.deleted.sessions).toBeGreaterThanOrEqual(1);
  expect(run.deleted.rateLimitHits).toBeGreaterThanOrEqual(1);

  const left = (await sql<{ id: number }[]>`select id::float8 as id from notifications where recipient_id = ${s.user.id} order by id`).map((r) => r.id);
  expect(left).toEqual([oldUnread, newRead, oldReadEmailed]);
  expect(await count(`sessions where id = '${api.token}'`)).toBe(0);
  expect(await count(`sessions where id = '${live.token}'`)).toBe(1);
  expect(await count(`rate_limit_hits where key = 'old'`)).toBe(0);
  expect(await count(`rate_limit_hits where key = 'recent'`)).toBe(1);
  // The signed-in client still works; the expired one is signed out.
  expect((await live.get('/api/orders')).status).toBe(200);
  expect((await api.get('/api/orders')).status).toBe(401);
});

it('runs in one process at a time: while another holds the lock, a pass does nothing', async () => {
  await t.database.sql`insert into rate_limit_hits (key, at) values ('stale', now() - interval '3 days')`;
  const other = connect(t.url, 1);
  const held = await other.sql.reserve();
  try {
    const [got] = await held<{ ok: boolean }[]>`select pg_try_advisory_lock(${RETENTION_LOCK_KEY}::bigint) as ok`;
    expect(got!.ok).toBe(true);
    const run = await t.deps.notifications.retention.runOnce();
    expect(run.ran).toBe(false);
    expect(await count(`rate_limit_hits where key = 'stale'`)).toBe(1);
    await held`select pg_advisory_unlock(${RETENTION_LOCK_KEY}::bigint)`;
    expect((await t.deps.notifications.retention.runOnce()).ran).toBe(true);
    expect(await count(`rate_limit_hits where key = 'stale'`)).toBe(0);
  } finally {
    held.release();
    await other.close();
  }
});
