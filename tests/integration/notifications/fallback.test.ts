import { eq } from 'drizzle-orm';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailOutbox, notifications } from '../../../src/db/schema.ts';
import { instanceOn, listen, testApp, type TestApp } from '../../helpers/app.ts';
import { apiClient, makeCustomer, makeSeller } from '../../helpers/factories.ts';
import { order, sleep, streamOf } from './support.ts';

interface Mail {
  to: string[];
  raw: string;
}
const inbox: Mail[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['AUTH', 'STARTTLS'],
  logger: false,
  onData(stream, session, done) {
    let raw = '';
    stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    stream.on('end', () => {
      inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw });
      done();
    });
  },
});

let a: TestApp;
let b: TestApp;
beforeAll(async () => {
  await new Promise<void>((done) => smtp.listen(0, '127.0.0.1', done));
  const env = { SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, NOTIFY_EMAIL_AFTER_SECONDS: '1', ORDER_RATE_LIMIT_PER_MINUTE: '1000' };
  a = await testApp(env);
  b = await instanceOn(a.url, env);
});
afterAll(async () => {
  await b.close();
  await a.close();
  await new Promise<void>((done) => smtp.close(done));
});

const mailsTo = (address: string) => inbox.filter((m) => m.to.includes(address));
const sellerNotes = (userId: string) => a.database.db.select().from(notifications).where(eq(notifications.recipientId, userId));
const newCustomer = async () => apiClient(a.app, (await makeCustomer(a.database.db)).email);

describe('offline email fallback', () => {
  it('emails an unread, undelivered order notification once, even with two processes racing', async () => {
    const s = await makeSeller(a.database.db);
    const placed = await order(await newCustomer(), s.products[0]!.id);
    await sleep(1100);
    const passes = await Promise.all([a, b, a, b].map((t) => t.deps.notifications.fallback.runOnce()));
    await sleep(1500); // the processes' own interval workers run meanwhile too
    const mails = mailsTo(s.user.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.raw).toContain(`Subject: New order ${placed.orderNumber} at ${s.store.name}`);
    expect(passes.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(1);
    const [note] = await sellerNotes(s.user.id);
    expect(note!.emailedAt).not.toBeNull();
    const emailed = async (t: TestApp) => (await t.deps.notifications.metrics.emailed.get()).values[0]!.value;
    expect((await emailed(a)) + (await emailed(b))).toBeGreaterThanOrEqual(1);
  });

  it('does not email what the seller had read', async () => {
    const s = await makeSeller(a.database.db);
    await order(await newCustomer(), s.products[0]!.id);
    const [note] = await sellerNotes(s.user.id);
    const seller = await apiClient(a.app, s.user.email);
    expect((await seller.json('POST', '/api/notifications/read', { upTo: note!.id })).status).toBe(200);
    await sleep(1100);
    await Promise.all([a.deps.notifications.fallback.runOnce(), b.deps.notifications.fallback.runOnce()]);
    await sleep(1200);
    expect(mailsTo(s.user.email)).toEqual([]);
    expect((await sellerNotes(s.user.id))[0]!.emailedAt).toBeNull();
  });

  it('does not email what an open stream delivered', async () => {
    const s = await makeSeller(a.database.db);
    const served = await listen(a.app);
    const stream = await streamOf(served.origin, await apiClient(a.app, s.user.email));
    await order(await newCustomer(), s.products[0]!.id);
    await stream.waitFor(1);
    await stream.close();
    await served.close();
    await expect.poll(async () => (await sellerNotes(s.user.id))[0]!.deliveredAt).not.toBeNull();
    await sleep(1100);
    await a.deps.notifications.fallback.runOnce();
    expect(mailsTo(s.user.email)).toEqual([]);
  });
});

describe('without SMTP_URL', () => {
  it('stores the email in the outbox instead', async () => {
    const t = await testApp({ NOTIFY_EMAIL_AFTER_SECONDS: '0' });
    try {
      const s = await makeSeller(t.database.db);
      const placed = await order(await apiClient(t.app, (await makeCustomer(t.database.db)).email), s.products[0]!.id);
      await expect.poll(() => t.database.db.select().from(emailOutbox), { timeout: 3000 }).toHaveLength(1);
      const [mail] = await t.database.db.select().from(emailOutbox);
      expect(mail).toMatchObject({ to: s.user.email, subject: `New order ${placed.orderNumber} at ${s.store.name}` });
      expect(mail!.body).toContain(placed.orderNumber);
      expect(await t.deps.notifications.fallback.runOnce()).toBe(0);
    } finally {
      await t.close();
    }
  });
});
