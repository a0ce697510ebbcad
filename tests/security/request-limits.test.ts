import { connect as tcp, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { listen, testApp, type TestApp } from '../helpers/app.ts';
import { freshDatabase } from '../helpers/db.ts';
import { apiClient, makeCustomer, makeSeller, signIn } from '../helpers/factories.ts';
import { startAppProcess, type AppProcess } from '../helpers/process.ts';

describe('bulk actions take at most 100 orders', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '100000' });
  });
  afterAll(() => t.close());

  it('101 ids get a 4xx naming the limit and change nothing; 100 are done', async () => {
    const s = await makeSeller(t.database.orm, [{ stock: 100_000 }]);
    const customer = await apiClient(t.app, (await makeCustomer(t.database.orm)).email);
    const real: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await customer.json('POST', '/api/orders', { items: [{ productId: s.products[0]!.id, quantity: 1 }], deliveryAddress: '4 Bulk Street' });
      real.push(String(((await res.json()) as { id: number }).id));
    }
    // Three real orders and ids of orders that do not exist: a bulk action reports those one by one.
    const ids = [...real, ...Array.from({ length: 98 }, (_, i) => String(1_000_000 + i))];
    const seller = await signIn(t.app, s.user.email);
    const pending = async () => (await t.database.sql<{ n: number }[]>`select count(*)::int as n from seller_orders where seller_id = ${s.store.id} and status = 'pending'`)[0]!.n;

    const variants: Record<string, string>[] = [{}, { 'hx-request': 'true' }];
    for (const headers of variants) {
      const res = await seller.form('/seller/bulk', { status: 'confirmed', ids }, headers);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await res.text()).toContain('at most 100 orders');
      expect(await pending()).toBe(3);
    }
    expect((await seller.form('/seller/bulk', { status: 'confirmed', ids: ids.slice(0, 100) })).status).toBe(303);
    expect(await pending()).toBe(0);
  });
});

describe('request bodies over the limit get 413 over real HTTP, declared or chunked', () => {
  let t: TestApp;
  let served: Awaited<ReturnType<typeof listen>>;
  beforeAll(async () => {
    t = await testApp();
    served = await listen(t.app);
  });
  afterAll(async () => {
    await served.close();
    await t.close();
  });

  // The limit reads a declared Content-Length alone and counts a chunked body as it streams (src/http/body.ts).
  const chunked = (bytes: number) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let sent = 0; sent < bytes; sent += 16_384) controller.enqueue(new Uint8Array(Math.min(16_384, bytes - sent)).fill(32));
        controller.close();
      },
    });
  const cases: [string, number, string][] = [
    ['/api/orders', 64 * 1024, 'over 64 KiB'],
    ['/login', 256 * 1024, 'too large'],
  ];
  for (const [path, limit, words] of cases) {
    it(`${path}: a body of ${limit + 1} bytes is refused, with or without Content-Length`, async () => {
      const customer = await apiClient(t.app, (await makeCustomer(t.database.orm)).email);
      const headers = { 'content-type': 'application/json', origin: served.origin, authorization: `Bearer ${customer.token}` };
      const declared = await fetch(`${served.origin}${path}`, { method: 'POST', headers, body: ' '.repeat(limit + 1) });
      const streamed = await fetch(`${served.origin}${path}`, { method: 'POST', headers, body: chunked(limit + 1), duplex: 'half' } as RequestInit);
      for (const res of [declared, streamed]) {
        expect(res.status).toBe(413);
        expect(await res.text()).toContain(words);
      }
      // At the limit, the body reaches the handler (which finds it is no valid JSON).
      const fits = await fetch(`${served.origin}${path}`, { method: 'POST', headers, body: ' '.repeat(limit) });
      expect(fits.status).not.toBe(413);
    });
  }
});

/** A raw HTTP/1.1 connection, to send a request as slowly as we like. */
function openSocket(origin: string): Promise<Socket> {
  const { hostname, port } = new URL(origin);
  return new Promise((done, fail) => {
    const socket = tcp({ host: hostname, port: Number(port) }, () => done(socket));
    socket.once('error', fail);
  });
}

/** Everything the server sent until it closed the connection (or `ms` passed: then the test fails). */
function untilClosed(socket: Socket, ms: number): Promise<string> {
  let got = '';
  socket.on('data', (d) => (got += d));
  return new Promise((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`connection still open after ${ms} ms; got ${JSON.stringify(got)}`)), ms);
    socket.once('close', () => (clearTimeout(timer), done(got)));
  });
}

describe('a request must arrive within REQUEST_TIMEOUT_SECONDS', () => {
  let database: Database;
  let app: AppProcess;
  beforeAll(async () => {
    let url: string;
    ({ url, database } = await freshDatabase());
    app = await startAppProcess({ DATABASE_URL: url, REQUEST_TIMEOUT_SECONDS: '2' });
  });
  afterAll(async () => {
    app?.child.kill('SIGKILL');
    await database?.close();
  });

  it('a body trickling in at a byte a second gets 408 and the connection closed (it was held 300 s)', async () => {
    const socket = await openSocket(app.origin);
    const closed = untilClosed(socket, 20_000);
    socket.write(`POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{`);
    const drip = setInterval(() => socket.writable && socket.write(' '), 1000);
    try {
      expect(await closed).toMatch(/^HTTP\/1\.1 408/);
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
  });

  it('headers that never finish get the connection closed', async () => {
    const socket = await openSocket(app.origin);
    const closed = untilClosed(socket, 20_000);
    socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 1000);
    try {
      await closed;
    } finally {
      clearInterval(drip);
      socket.destroy();
    }
  });

  it('an event stream, whose request arrived at once, stays open past the timeout', async () => {
    const s = await makeSeller(database.orm);
    const seller = await apiClient(app.origin, s.user.email);
    const res = await fetch(`${app.origin}/api/events`, { headers: { authorization: `Bearer ${seller.token}` } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toContain('connected');
    // A slow request on another connection is cut: the timeout has run its course meanwhile.
    const socket = await openSocket(app.origin);
    const closed = untilClosed(socket, 20_000);
    socket.write('POST /api/session HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n');
    expect(await closed).toMatch(/^HTTP\/1\.1 408/);
    // The stream still delivers.
    const customer = await apiClient(app.origin, (await makeCustomer(database.orm)).email);
    expect((await customer.json('POST', '/api/orders', { items: [{ productId: s.products[0]!.id, quantity: 1 }], deliveryAddress: '5 Stream Street' })).status).toBe(201);
    let got = '';
    while (!got.includes('order_notification')) {
      const chunk = await reader.read();
      if (chunk.done) throw new Error(`stream ended; got ${got}`);
      got += decoder.decode(chunk.value);
    }
    await reader.cancel();
  });
});
