import { request } from 'node:http';
import { connect as tcp } from 'node:net';
import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import * as schema from '../../src/db/schema.ts';
import { freshDatabase } from '../helpers/db.ts';
import { apiClient, makeCustomer, makeSeller } from '../helpers/factories.ts';
import { groupAlive, startAppProcess, startWithNpm, type AppProcess } from '../helpers/process.ts';

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
afterEach(() => {
  // npm start runs in a group of its own; the tsx-started server is one process.
  if (app && groupAlive(app.child.pid!)) process.kill(-app.child.pid!, 'SIGKILL');
  else if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  app = undefined;
});
afterAll(() => sql.end());

/** Reads a whole event stream as raw text until the server ends it. */
async function rawStream(origin: string, token: string) {
  const res = await fetch(`${origin}/api/events`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
  expect(res.status).toBe(200);
  return res.text();
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

const readyStatus = (origin: string) => fetch(`${origin}/readyz`).then((r) => r.status, () => 0);

/** A checkout whose headers are sent and whose body is only half there until `finish()`. */
function slowOrder(origin: string, token: string, productId: number) {
  const body = Buffer.from(JSON.stringify({ items: [{ productId, quantity: 1 }], deliveryAddress: '9 Slow Upload Lane, Testville' }));
  const req = request(`${origin}/api/orders`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'content-length': body.length },
  });
  const answer = new Promise<{ status: number; connection?: string; body: string }>((done, fail) => {
    req.once('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => done({ status: res.statusCode!, connection: res.headers.connection, body: text }));
    });
    req.once('error', fail);
  });
  req.write(body.subarray(0, 20));
  return { answer, finish: () => req.end(body.subarray(20)) };
}

/** The pid the server logs when it listens (LOG_LEVEL=info): the node process behind `npm start`. */
const serverPid = (output: string) => Number(/"pid":(\d+)[^\n]*"msg":"orderbell is listening"/.exec(output)![1]);

const DRAIN_SECONDS = 3;
/** States on a busy machine can take a while; the waits are for them, not for time. */
const WAIT = { timeout: 10_000 };

it.each([
  { how: 'npm start, SIGINT to its process group (Ctrl-C: npm relays it, the server sees it twice)', signal: 'SIGINT', group: true },
  { how: 'npm start, SIGTERM to its process group (systemd, most supervisors)', signal: 'SIGTERM', group: true },
  { how: 'npm start, SIGTERM to the server alone', signal: 'SIGTERM', group: false },
] as const)(
  '$how: drains, answers the order whose body was still arriving and those in flight, ends streams with a retry hint, closes LISTEN and the pool, exits 0 within 10 s',
  async ({ signal, group }) => {
    const db = drizzle(sql, { schema });
    const store = await makeSeller(db, [{ stock: 50 }, { stock: 50 }]);
    const [locked, free] = store.products.map((p) => p.id) as [number, number];
    const customers = await Promise.all([0, 1, 2, 3].map(() => makeCustomer(db)));
    app = await startWithNpm({ DATABASE_URL: url, LOG_LEVEL: 'info', SHUTDOWN_DRAIN_SECONDS: String(DRAIN_SECONDS) });
    const { origin } = app;
    const [slowClient, ...clients] = await Promise.all(customers.map((c) => apiClient(origin, c.email)));
    const sellerToken = (await apiClient(origin, store.user.email)).token!;
    const streams = [rawStream(origin, sellerToken), rawStream(origin, sellerToken)];
    await expect.poll(async () => (await appConnections()).filter((c) => c.application_name.startsWith('orderbell-listener-')), WAIT).toHaveLength(1);

    // Requests in flight: checkouts waiting on a product's row lock, held by the test.
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let lockTaken!: () => void;
    const taken = new Promise<void>((r) => (lockTaken = r));
    const holder = sql.begin(async (tx) => {
      await tx`select 1 from products where id = ${locked} for update`;
      lockTaken();
      await held;
    });
    await taken;
    const inFlight = clients.map((c) => c.json('POST', '/api/orders', { items: [{ productId: locked, quantity: 1 }], deliveryAddress: '3 Shutdown Street, Testville' }));
    await expect.poll(async () => (await sql`select count(*)::int as n from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`)[0]!.n, WAIT).toBe(3);
    const slow = slowOrder(origin, slowClient!.token!, free);

    const signalledAt = Date.now();
    const pgid = app.child.pid!;
    process.kill(group ? -pgid : serverPid(app.output()), signal);
    // Draining: the proxy's health check fails at once, while requests are still served.
    await expect.poll(() => readyStatus(origin), WAIT).toBe(503);
    slow.finish();
    const slowAnswer = await slow.answer;
    expect([slowAnswer.status, slowAnswer.connection]).toEqual([201, 'close']);
    expect(JSON.parse(slowAnswer.body)).toMatchObject({ orderNumber: expect.any(String) });

    // After the drain it stops accepting while the process still waits on the checkouts in flight;
    // the streams end with a retry hint as their last words.
    await expect.poll(() => connectionRefused(origin), { timeout: 10_000, interval: 50 }).toBe('ECONNREFUSED');
    expect(app.child.exitCode).toBeNull();
    release();
    await holder;
    for (const text of await Promise.all(streams)) expect(text).toMatch(/retry: \d+\n\n$/);
    const answers = await Promise.all(inFlight);
    expect(answers.map((r) => r.status)).toEqual([201, 201, 201]);

    expect(await app.exited).toBe(0);
    await expect.poll(() => groupAlive(pgid), { timeout: 10_000 }).toBe(false);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    const phases = app.output().match(/"msg":"(shutdown: [a-z]+|stopped)/g);
    expect(phases).toEqual(['"msg":"shutdown: draining', '"msg":"shutdown: stopped', '"msg":"shutdown: closing', '"msg":"stopped']);
    // A backend goes a moment after its client's goodbye.
    await expect.poll(appConnections, WAIT).toEqual([]);
    const [{ orders }] = await sql<[{ orders: number }]>`select count(*)::int as orders from orders where customer_email = any(${customers.map((c) => c.email)})`;
    expect(orders).toBe(4);
  },
  240_000,
);

it('a second signal, after the first one\'s relay window, exits at once instead of waiting for the drain', async () => {
  app = await startAppProcess({ DATABASE_URL: url, LOG_LEVEL: 'info', SHUTDOWN_DRAIN_SECONDS: '600' });
  const firstAt = Date.now();
  app.child.kill('SIGTERM');
  await expect.poll(() => readyStatus(app!.origin), WAIT).toBe(503);
  // Within a second of the first, a signal counts as the same one relayed by npm: wait that out.
  await expect.poll(() => Date.now() - firstAt, { timeout: 5000 }).toBeGreaterThan(1200);
  app.child.kill('SIGTERM');
  expect(await app.exited).toBe(143);
  expect(app.output()).toContain('second signal, exiting at once');
}, 150_000);
