import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailOutbox, notifications } from '../../../src/db/schema.ts';
import { instanceOn, listen, testApp, type TestApp } from '../../helpers/app.ts';
import { startAppProcess } from '../../helpers/process.ts';
import { startInbox } from '../../helpers/smtp.ts';
import type { OrderView } from '../../../src/orders/queries.ts';
import { apiClient, makeCustomer, makeSeller } from '../../helpers/factories.ts';
import { order, sleep, streamOf } from './support.ts';

let inbox: Awaited<ReturnType<typeof startInbox>>;
let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  inbox = await startInbox();
  // An hour's delay: the instances' own workers pass every 30 s, so the calls below are what
  // sends; notifications are made due by backdating them instead of waiting.
  const env = { SMTP_URL: inbox.url, NOTIFY_EMAIL_AFTER_SECONDS: '3600', NOTIFY_EMAIL_OFFLINE_SECONDS: '3600', ORDER_RATE_LIMIT_PER_MINUTE: '1000' };
  a = await testApp(env);
  b = await instanceOn(a.url, env);
});
afterAll(async () => {
  await b.close();
  await a.close();
  await inbox.close();
});

const mailsTo = (address: string) => inbox.to(address);
const sellerNotes = (userId: string) => a.database.orm.select().from(notifications).where(eq(notifications.recipientId, userId));
const newCustomer = async () => apiClient(a.app, (await makeCustomer(a.database.orm)).email);
/** Ages a seller's notifications past the fallback delay. */
const makeDue = (userId: string) => a.database.sql`update notifications set created_at = now() - interval '2 hours' where recipient_id = ${userId}`;

describe('offline email fallback', () => {
  it('emails each unacknowledged order notification once when two app instances (separate pools) claim them at the same moment', async () => {
    const shops = await Promise.all(Array.from({ length: 6 }, () => makeSeller(a.database.orm)));
    const placed: OrderView[] = [];
    for (const s of shops) placed.push(await order(await newCustomer(), s.products[0]!.id));
    for (const s of shops) await makeDue(s.user.id);
    // Nothing was sent before the race: the racing calls below are the only senders.
    for (const s of shops) expect((await sellerNotes(s.user.id))[0]!.emailedAt).toBeNull();
    const passes = await Promise.all([a, b, a, b, a, b].map((t) => t.deps.notifications.fallback.runOnce()));
    // The racing calls sent them (an instance's own 30 s worker may have joined the race).
    expect(passes.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    expect(passes.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(shops.length);
    shops.forEach((s, i) => {
      const mails = mailsTo(s.user.email);
      expect(mails).toHaveLength(1);
      expect(mails[0]!.raw).toContain(`Subject: New order ${placed[i]!.orderNumber} at ${s.store.name}`);
    });
    for (const s of shops) expect((await sellerNotes(s.user.id))[0]!.emailedAt).not.toBeNull();
    // Claimed and marked: another pass finds nothing left to send.
    expect(await Promise.all([a.deps.notifications.fallback.runOnce(), b.deps.notifications.fallback.runOnce()])).toEqual([0, 0]);
    const emailed = async (t: TestApp) => (await t.deps.notifications.metrics.emailed.get()).values[0]!.value;
    expect((await emailed(a)) + (await emailed(b))).toBe(shops.length);
  });

  it('emails each order once with two app processes whose own workers race for them', async () => {
    const env = { DATABASE_URL: a.url, SMTP_URL: inbox.url, NOTIFY_EMAIL_AFTER_SECONDS: '1' };
    const processes = await Promise.all([
      startAppProcess({ ...env, SMTP_FROM: 'Process A <a@orderbell.test>' }),
      startAppProcess({ ...env, SMTP_FROM: 'Process B <b@orderbell.test>' }),
    ]);
    try {
      const sentBy = (name: string, emails: Set<string>) => inbox.mails.filter((m) => emails.has(m.to[0]!) && m.raw.includes(`From: ${name}`)).length;
      const emails = new Set<string>();
      // Orders keep coming until both processes have emailed some: each then worked the same queue.
      for (let wave = 0; wave < 40 && (sentBy('Process A', emails) === 0 || sentBy('Process B', emails) === 0); wave++) {
        const shops = await Promise.all(Array.from({ length: 5 }, () => makeSeller(a.database.orm)));
        for (const s of shops) {
          emails.add(s.user.email);
          await order(await newCustomer(), s.products[0]!.id);
        }
        await expect.poll(() => inbox.mails.filter((m) => emails.has(m.to[0]!)).length, { timeout: 15_000 }).toBe(emails.size);
      }
      expect(sentBy('Process A', emails)).toBeGreaterThan(0);
      expect(sentBy('Process B', emails)).toBeGreaterThan(0);
      // Both workers pass every second: after two more passes, still one email per order.
      await sleep(2500);
      for (const email of emails) expect(mailsTo(email)).toHaveLength(1);
    } finally {
      for (const p of processes) p.child.kill('SIGTERM');
      await Promise.all(processes.map((p) => p.exited));
    }
  });

  it('does not email what the seller had read', async () => {
    const s = await makeSeller(a.database.orm);
    await order(await newCustomer(), s.products[0]!.id);
    const [note] = await sellerNotes(s.user.id);
    const seller = await apiClient(a.app, s.user.email);
    expect((await seller.json('POST', '/api/notifications/read', { upTo: note!.id })).status).toBe(200);
    await makeDue(s.user.id);
    expect(await Promise.all([a.deps.notifications.fallback.runOnce(), b.deps.notifications.fallback.runOnce()])).toEqual([0, 0]);
    expect(mailsTo(s.user.email)).toEqual([]);
    expect((await sellerNotes(s.user.id))[0]!.emailedAt).toBeNull();
  });

  // Delivery to a page no longer settles it (decision 015): an order nobody acknowledged is emailed.
  it('emails, once, an order an open stream delivered but nobody acknowledged', async () => {
    const s = await makeSeller(a.database.orm);
    const served = await listen(a.app);
    const stream = await streamOf(served.origin, await apiClient(a.app, s.user.email));
    await order(await newCustomer(), s.products[0]!.id);
    await stream.waitFor(1);
    await stream.close();
    await served.close();
    await expect.poll(async () => (await sellerNotes(s.user.id))[0]!.deliveredAt).not.toBeNull();
    await makeDue(s.user.id);
    const passes = await Promise.all([a.deps.notifications.fallback.runOnce(), b.deps.notifications.fallback.runOnce()]);
    expect(passes[0] + passes[1]).toBeLessThanOrEqual(1); // an instance's own worker may have sent it
    await expect.poll(() => mailsTo(s.user.email).length).toBe(1);
    expect((await sellerNotes(s.user.id))[0]!.emailedAt).not.toBeNull();
  });
});

describe('without SMTP_URL', () => {
  it('stores the email in the outbox instead', async () => {
    const t = await testApp({ NOTIFY_EMAIL_AFTER_SECONDS: '0' });
    try {
      const s = await makeSeller(t.database.orm);
      const placed = await order(await apiClient(t.app, (await makeCustomer(t.database.orm)).email), s.products[0]!.id);
      await expect.poll(() => t.database.orm.select().from(emailOutbox), { timeout: 3000 }).toHaveLength(1);
      const [mail] = await t.database.orm.select().from(emailOutbox);
      expect(mail).toMatchObject({ to: s.user.email, subject: `New order ${placed.orderNumber} at ${s.store.name}` });
      expect(mail!.body).toContain(placed.orderNumber);
      expect(await t.deps.notifications.fallback.runOnce()).toBe(0);
    } finally {
      await t.close();
    }
  });
});
