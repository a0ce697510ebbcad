import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceOn, listen, testApp, type TestApp } from '../../helpers/app.ts';
import { holdListenerLogins } from '../../helpers/db.ts';
import { apiClient, makeCustomer, makeSeller } from '../../helpers/factories.ts';
import { order, payloadOf, quietPeriod, streamOf } from './support.ts';

const env = { ORDER_RATE_LIMIT_PER_MINUTE: '1000' };
let a: TestApp;
let b: TestApp;
const servers: { origin: string; close(): Promise<void> }[] = [];
beforeAll(async () => {
  a = await testApp(env);
  b = await instanceOn(a.url, env);
  servers.push(await listen(a.app), await listen(b.app));
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await b.close();
  await a.close();
});

const heard = async (t: TestApp) => (await t.deps.notifications.metrics.created.get()).values[0]?.value ?? 0;

describe('when the LISTEN connection is killed', () => {
  it('delivers, once each, the notifications created during the gap and after it', async () => {
    const sql = a.database.sql;
    // The listener's reconnect is held for 1.5 s, so the gap is certain.
    const release = await holdListenerLogins(sql, 1.5);
    try {
      const s = await makeSeller(a.database.orm, [{ stock: 50 }]);
      const seller = await apiClient(a.app, s.user.email);
      const customer = await apiClient(a.app, (await makeCustomer(a.database.orm)).email);
      const stream = await streamOf(servers[0]!.origin, seller);
      const before = await order(customer, s.products[0]!.id);
      await stream.waitFor(1);
      const heardBefore = await heard(a);

      const killed = await sql`select pid, pg_terminate_backend(pid) as ok from pg_stat_activity
        where application_name = ${a.deps.notifications.listener.applicationName} and query ilike 'listen %'`;
      expect(killed).toEqual([{ pid: expect.any(Number), ok: true }]);
      const gone = () => sql`select 1 from pg_stat_activity where pid = ${killed[0]!.pid}`.then((r) => r.length === 0);
      await expect.poll(gone).toBe(true);
      const during = [await order(customer, s.products[0]!.id), await order(customer, s.products[0]!.id)];
      const ready = await a.app.request('/readyz');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ checks: { database: true, listen: false } });

      await expect.poll(() => a.deps.notifications.listener.check(), { timeout: 5000 }).toBe(true);
      const after = await order(customer, s.products[0]!.id);
      await stream.waitFor(4);
      await quietPeriod();
      expect(stream.events.map((e) => payloadOf(e.data).orderId)).toEqual([before, ...during, after].map((o) => o.id));
      expect(new Set(stream.ids).size).toBe(4);
      // The gap was real: this process never heard the NOTIFYs of the two orders placed during it.
      expect((await heard(a)) - heardBefore).toBe(1);
      expect((await a.app.request('/readyz')).status).toBe(200);
      await stream.close();
    } finally {
      await release();
    }
  });
});

describe('two app processes on one database', () => {
  it('delivers an order placed through one to a stream held by the other, both ways', async () => {
    const s1 = await makeSeller(a.database.orm);
    const s2 = await makeSeller(a.database.orm);
    const onB = await streamOf(servers[1]!.origin, await apiClient(b.app, s1.user.email));
    const onA = await streamOf(servers[0]!.origin, await apiClient(a.app, s2.user.email));
    const placedViaA = await order(await apiClient(a.app, (await makeCustomer(a.database.orm)).email), s1.products[0]!.id);
    const placedViaB = await order(await apiClient(b.app, (await makeCustomer(a.database.orm)).email), s2.products[0]!.id);
    expect(payloadOf((await onB.waitFor(1))[0]!.data).orderId).toBe(placedViaA.id);
    expect(payloadOf((await onA.waitFor(1))[0]!.data).orderId).toBe(placedViaB.id);
    await quietPeriod();
    expect([onA.events.length, onB.events.length]).toEqual([1, 1]);
    expect(a.deps.notifications.listener.applicationName).not.toBe(b.deps.notifications.listener.applicationName);
    await Promise.all([onA.close(), onB.close()]);
  });
});
