import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceOn, listen, testApp, type TestApp } from '../../helpers/app.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller, signIn } from '../../helpers/factories.ts';
import { text } from '../../helpers/html.ts';
import { startAppProcess } from '../../helpers/process.ts';
import type { Client } from '../../helpers/client.ts';
import { order, streamOf } from './support.ts';

/** Issue 12: /admin/stores says who is online, whichever process holds their page, and what waits. */
const env = { SSE_HEARTBEAT_SECONDS: '1', ORDER_RATE_LIMIT_PER_MINUTE: '1000', NOTIFY_EMAIL_AFTER_SECONDS: '3600', NOTIFY_EMAIL_OFFLINE_SECONDS: '3600' };
let a: TestApp;
let b: TestApp;
let admin: Client;
beforeAll(async () => {
  a = await testApp(env);
  b = await instanceOn(a.url, env);
  admin = await signIn(a.app, (await makeAdmin(a.database.orm)).email);
});
afterAll(async () => {
  await b?.close();
  await a?.close();
});

/** The store's row of /admin/stores (found by its number), as text. */
async function storeRow(storeId: number, show = '') {
  const res = await admin.get(`/admin/stores?q=${storeId}${show}`);
  expect(res.status).toBe(200);
  const html = await res.text();
  const row = html.match(new RegExp(`<tr id="store-${storeId}">[\\s\\S]*?</tr>`));
  return row ? text(row[0]).trim() : null;
}

describe('/admin/stores', () => {
  it('shows a seller online whose page is open on another process, last seen once it closed, and never seen before', async () => {
    const [there, gone, never] = await Promise.all([makeSeller(a.database.orm), makeSeller(a.database.orm), makeSeller(a.database.orm)]);
    const servedB = await listen(b.app);
    const onB = await streamOf(servedB.origin, await apiClient(a.app, there.user.email));
    const closing = await streamOf(servedB.origin, await apiClient(a.app, gone.user.email));
    try {
      await expect.poll(() => storeRow(there.store.id)).toContain('Online now');
      await expect.poll(() => storeRow(gone.store.id)).toContain('Online now');
      await closing.close();
      await expect.poll(() => storeRow(gone.store.id)).toMatch(/Last seen \w{3} \d+, \d{4}/);
      expect(await storeRow(never.store.id)).toContain('Never seen');
      expect(await storeRow(there.store.id)).toContain(there.user.email);
      // The filter: online now, across processes.
      expect(await storeRow(there.store.id, '&show=online')).toContain('Online now');
      expect(await storeRow(gone.store.id, '&show=online')).toBeNull();
    } finally {
      await onB.close();
      await servedB.close();
    }
  });

  it('counts a process that died without closing as gone after three heartbeats, last seen at its last one', async () => {
    const s = await makeSeller(a.database.orm);
    const other = await startAppProcess({ ...env, DATABASE_URL: a.url });
    const stream = await streamOf(other.origin, await apiClient(a.app, s.user.email));
    try {
      await expect.poll(() => storeRow(s.store.id)).toContain('Online now');
      other.child.kill('SIGKILL');
      await other.exited;
      await expect.poll(() => storeRow(s.store.id), { timeout: 10_000 }).toMatch(/Last seen/);
    } finally {
      await stream.close().catch(() => {});
    }
  }, 120_000);

  it("counts the store's unacknowledged orders and the oldest one's age, and filters the stores with orders waiting", async () => {
    const s = await makeSeller(a.database.orm);
    const quiet = await makeSeller(a.database.orm);
    const customer = await apiClient(a.app, (await makeCustomer(a.database.orm)).email);
    const first = await order(customer, s.products[0]!.id);
    await order(customer, s.products[0]!.id);
    await order(customer, s.products[0]!.id);
    await a.database.sql`update notifications set created_at = now() - interval '2 hours 5 minutes' where order_id = ${first.id} and type = 'order_notification'`;
    expect(await storeRow(s.store.id)).toMatch(/\b3 2 h 5 min$/);
    // Opening the oldest acknowledges it: two wait, the oldest of them a moment ago.
    const seller = await signIn(a.app, s.user.email);
    expect((await seller.get(`/seller/orders/${first.id}`, { 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    expect(await storeRow(s.store.id)).toMatch(/\b2 \d+ s$/);
    expect(await storeRow(s.store.id, '&show=waiting')).not.toBeNull();
    expect(await storeRow(quiet.store.id, '&show=waiting')).toBeNull();
    expect(await storeRow(quiet.store.id)).toMatch(/0 None$/);
  });

  it('finds stores by part of a name or email and pages through many, and refuses a bad filter with 422', async () => {
    const made = await Promise.all(Array.from({ length: 3 }, () => makeSeller(a.database.orm)));
    const html = await (await admin.get(`/admin/stores?q=${encodeURIComponent(made[1]!.user.email.slice(0, 14).toUpperCase())}`)).text();
    expect(html).toContain(`store-${made[1]!.store.id}`);
    expect(html).not.toContain(`store-${made[0]!.store.id}"`);
    await Promise.all(Array.from({ length: 50 }, () => makeSeller(a.database.orm, [{}])));
    const page1 = await (await admin.get('/admin/stores')).text();
    expect(page1.match(/<tr id="store-/g)).toHaveLength(50);
    const next = page1.match(/href="(\/admin\/stores\?cursor=\d+)"/)![1]!;
    const page2 = await (await admin.get(next)).text();
    expect(page2).toMatch(/Stores 51–\d+ of \d+/);
    const bad = await admin.get('/admin/stores?show=everything');
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Show all stores, those online, or those with orders waiting.');
    expect((await admin.get('/admin/stores?cursor=0x10')).status).toBe(422);
  });

  it('is for admins only, and the admin navigation links to it', async () => {
    const s = await makeSeller(a.database.orm);
    expect((await (await signIn(a.app, s.user.email)).get('/admin/stores')).status).toBe(403);
    expect(await (await admin.get('/admin/orders')).text()).toContain('<a href="/admin/stores">Stores</a>');
  });
});
