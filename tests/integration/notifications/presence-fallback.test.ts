import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../../src/db/schema.ts';
import { startInbox } from '../../helpers/smtp.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import { apiClient, makeCustomer, makeSeller } from '../../helpers/factories.ts';
import { startAppProcess, type AppProcess } from '../../helpers/process.ts';
import { order, sleep, streamOf } from './support.ts';

/** Issue 12: presence picks the fallback email's delay; two app processes' own workers race for each email. */
let inbox: Awaited<ReturnType<typeof startInbox>>;
let a: TestApp;
let processes: AppProcess[] = [];
beforeAll(async () => {
  inbox = await startInbox();
  // This instance only places orders and reads: its own worker waits an hour either way.
  a = await testApp({ NOTIFY_EMAIL_AFTER_SECONDS: '3600', NOTIFY_EMAIL_OFFLINE_SECONDS: '3600', ORDER_RATE_LIMIT_PER_MINUTE: '1000' });
  // The short delay is 1 s (their workers then pass every second); the long one an hour, reached by backdating.
  const env = { DATABASE_URL: a.url, SMTP_URL: inbox.url, NOTIFY_EMAIL_OFFLINE_SECONDS: '1', NOTIFY_EMAIL_AFTER_SECONDS: '3600' };
  processes = await Promise.all([
    startAppProcess({ ...env, SMTP_FROM: 'Process A <a@orderbell.test>' }),
    startAppProcess({ ...env, SMTP_FROM: 'Process B <b@orderbell.test>' }),
  ]);
}, 180_000);
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGTERM');
  await Promise.all(processes.map((p) => p.exited));
  await a?.close();
  await inbox.close();
});

const mailsTo = (address: string) => inbox.to(address);
const noteOf = async (userId: string) => (await a.database.orm.select().from(notifications).where(eq(notifications.recipientId, userId)))[0]!;

describe('the fallback email, by presence', () => {
  it('goes after the short delay when no seller of the store is online and after the long one when one is, once each with two racing processes', async () => {
    const offline = await Promise.all(Array.from({ length: 6 }, () => makeSeller(a.database.orm)));
    const online = await makeSeller(a.database.orm);
    // The online seller's page stream is open on process A: the presence table says so to every process.
    const stream = await streamOf(processes[0]!.origin, await apiClient(a.app, online.user.email));
    try {
      await expect.poll(() => a.deps.notifications.presence.isOnline(online.user.id)).toBe(true);
      const customer = await apiClient(a.app, (await makeCustomer(a.database.orm)).email);
      const placed = new Map<string, string>();
      for (const s of [...offline, online]) placed.set(s.user.email, (await order(customer, s.products[0]!.id)).orderNumber);
      await stream.waitFor(1);

      // Nobody of these stores is online: each is emailed after the short delay, once.
      await expect.poll(() => offline.filter((s) => mailsTo(s.user.email).length > 0).length, { timeout: 20_000 }).toBe(offline.length);
      await sleep(2500); // two more passes of each worker
      for (const s of offline) {
        const mails = mailsTo(s.user.email);
        expect(mails).toHaveLength(1);
        expect(mails[0]!.raw).toContain(`Subject: New order ${placed.get(s.user.email)} at ${s.store.name}`);
      }
      // The online seller received it and has not acknowledged it: short delay passed, no email yet.
      expect(mailsTo(online.user.email)).toEqual([]);
      const note = await noteOf(online.user.id);
      expect(note.deliveredAt).not.toBeNull();
      expect(note.emailedAt).toBeNull();

      // Past the long delay it goes, though the seller is still online (it was never acknowledged), once.
      await a.database.sql`update notifications set created_at = now() - interval '2 hours' where id = ${note.id}`;
      await expect.poll(() => mailsTo(online.user.email).length, { timeout: 15_000 }).toBe(1);
      await sleep(2500);
      expect(mailsTo(online.user.email)).toHaveLength(1);
      expect((await noteOf(online.user.id)).emailedAt).not.toBeNull();
    } finally {
      await stream.close();
    }
  }, 120_000);

  it('sends nothing for an order the online seller acknowledged before the long delay', async () => {
    const s = await makeSeller(a.database.orm);
    const stream = await streamOf(processes[1]!.origin, await apiClient(a.app, s.user.email));
    try {
      await expect.poll(() => a.deps.notifications.presence.isOnline(s.user.id)).toBe(true);
      await order(await apiClient(a.app, (await makeCustomer(a.database.orm)).email), s.products[0]!.id);
      await stream.waitFor(1);
      const seller = await apiClient(a.app, s.user.email);
      expect((await seller.json('POST', '/api/notifications/read', { upTo: (await noteOf(s.user.id)).id })).status).toBe(200);
      await a.database.sql`update notifications set created_at = now() - interval '2 hours' where recipient_id = ${s.user.id}`;
      await sleep(2500);
      expect(mailsTo(s.user.email)).toEqual([]);
    } finally {
      await stream.close();
    }
  });
});
