import { connect as tcp } from 'node:net';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as schema from '../../src/db/schema.ts';
import { freshDatabase } from '../helpers/db.ts';
import { apiClient, makeCustomer, makeSeller } from '../helpers/factories.ts';
import { startAppProcess, type AppProcess } from '../helpers/process.ts';

const TEST_APP_NAME = 'orderbell-shutdown-test';
let sql: postgres.Sql;
let url: string;
let app: AppProcess | undefined;
beforeAll(async () => {
  const fresh = await freshDatabase();
  await fresh.database.close();
  url = fresh.url;
  // Named, so that every other connection to this database is the app's.
  sql = postgres(url, { max: 3, onnotice: () => {}, connection: { application_name: TEST_APP_NAME } });
});
afterAll(async () => {
  app?.child.kill('SIGKILL');
  await sql.end();
});

/** Reads a whole event stream as raw text until the server ends it. */
async function rawStream(origin: string, token: string) {
  const res = await fetch(`${origin}/api/events`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
  expect(res.status).toBe(200);
  return { first: res, text: res.text() };
}

const connectionRefused = (origin: string) =>
  new Promise<string>((done) => {
    const socket = tcp(Number(new URL(origin).port), '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done('connected')));
    socket.once('error', (e: NodeJS.ErrnoException) => done(e.code ?? 'error'));
  });

const appConnections = () =>
  sql<{ application_name: string }[]>`select application_name from pg_stat_activity
    where datname = current_database() and application_name <> ${TEST_APP_NAME} and pid <> pg_backend_pid()`;

it('on SIGTERM refuses new connections, finishes requests in flight, ends streams with a retry hint, closes LISTEN and the pool, exits 0', async () => {
  const db = drizzle(sql, { schema });
  const store = await makeSeller(db, [{ stock: 50 }]);
  const productId = store.products[0]!.id;
  const customers = await Promise.all([0, 1, 2].map(() => makeCustomer(db)));
  app = await startAppProcess({ DATABASE_URL: url, LOG_LEVEL: 'info' });
  const { origin } = app;
  const clients = await Promise.all(customers.map((c) => apiClient(origin, c.email)));
  const sellerToken = (await apiClient(origin, store.user.email)).token!;
  const streams = await Promise.all([rawStream(origin, sellerToken), rawStream(origin, sellerToken)]);
  const listener = (await appConnections()).filter((c) => c.application_name.startsWith('orderbell-listener-'));
  expect(listener).toHaveLength(1);

  // Requests in flight: checkouts waiting on the product's row lock, held by the test.
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const lockTaken = new Promise<void>((r) => (locked = r));
  const holder = sql.begin(async (tx) => {
    await tx`select 1 from products where id = ${productId} for update`;
    locked();
    await held;
  });
  await lockTaken;
  const inFlight = clients.map((c) => c.json('POST', '/api/orders', { items: [{ productId, quantity: 1 }], deliveryAddress: '3 Shutdown Street, Testville' }));
  await expect.poll(async () => (await sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)[0]!.n).toBe(3);

  const stoppedAt = Date.now();
  app.child.kill('SIGTERM');
  await expect.poll(() => connectionRefused(origin), { timeout: 3000, interval: 50 }).toBe('ECONNREFUSED');
  // The streams end with a retry hint as their last words; the process is still waiting on the checkouts.
  for (const s of streams) expect(await s.text).toMatch(/retry: \d+\n\n$/);
  expect(app.child.exitCode).toBeNull();

  release();
  await holder;
  const answers = await Promise.all(inFlight);
  expect(answers.map((r) => r.status)).toEqual([201, 201, 201]);
  const bodies = (await Promise.all(answers.map((r) => r.json()))) as { orderNumber: string }[];
  expect(bodies.every((b) => typeof b.orderNumber === 'string')).toBe(true);

  const answered = Date.now();
  expect(await app.exited).toBe(0);
  expect(Date.now() - stoppedAt).toBeLessThan(10_000);
  // Idle keep-alive connections do not hold the exit up until the clients drop them.
  expect(Date.now() - answered).toBeLessThan(2500);
  expect(app.output()).toContain('"msg":"stopped"');
  expect(await appConnections()).toEqual([]);
  const [{ orders }] = (await sql`select count(*)::int as orders from orders`) as unknown as [{ orders: number }];
  expect(orders).toBe(3);
}, 40_000);
