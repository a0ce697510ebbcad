import { afterAll, beforeAll, expect, it } from 'vitest';
import { listen, testApp, type TestApp } from '../helpers/app.ts';
import { apiClient, makeCustomer, makeSeller, signIn } from '../helpers/factories.ts';
import { SseStream } from '../helpers/sse.ts';

let t: TestApp;
let served: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  t = await testApp({ SSE_HEARTBEAT_SECONDS: '1' });
  served = await listen(t.app);
});
afterAll(async () => {
  await served.close();
  await t.close();
});

const cookieHeader = (jar: Map<string, string>) => ({ cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') });

it('ends an open API stream at the next heartbeat once its session has expired', async () => {
  const s = await makeSeller(t.database.orm);
  const seller = await apiClient(t.app, s.user.email);
  const stream = await SseStream.open(`${served.origin}/api/events`, { authorization: `Bearer ${seller.token}` });
  expect(stream.response.status).toBe(200);
  await stream.waitForComments('heartbeat'); // a heartbeat with a valid session leaves the stream open
  expect(stream.ended).toBe(false);
  expect(stream.failure).toBeUndefined();
  await t.database.sql`update sessions set expires_at = now() - interval '1 second' where id = ${seller.token!}`;
  await stream.waitForEnd(2500);
  expect(stream.retry).toBeGreaterThanOrEqual(5000); // told to come back later, when it will get a 401
  expect((await fetch(`${served.origin}/api/events`, { headers: { authorization: `Bearer ${seller.token}` } })).status).toBe(401);
});

it('ends an open page stream (cookie session) on expiry and on sign-out, and not the streams of other sessions', async () => {
  const customer = await makeCustomer(t.database.orm);
  const [a, b] = [await signIn(t.app, customer.email), await signIn(t.app, customer.email)];
  const other = await signIn(t.app, (await makeCustomer(t.database.orm)).email);
  const [streamA, streamB, streamOther] = await Promise.all([a, b, other].map((c) => SseStream.open(`${served.origin}/events`, cookieHeader(c.cookies))));
  for (const st of [streamA, streamB, streamOther]) expect(st!.response.status).toBe(200);

  const sessionOf = (c: typeof a) => c.cookies.get(t.deps.auth.sessionCookieName)!;
  await t.database.sql`update sessions set expires_at = now() - interval '1 second' where id = ${sessionOf(a)}`;
  await streamA!.waitForEnd(2500);
  expect(streamA!.events.at(-1)?.event).toBe('session_ended'); // the page says so at once
  expect(streamB!.ended).toBe(false);
  expect(streamB!.failure).toBeUndefined();

  expect((await b.form('/logout', {})).status).toBe(303);
  await streamB!.waitForEnd(2500);
  // The other session's stream lives through its next heartbeats, which check its session.
  const beats = streamOther!.comments.filter((c) => c === 'heartbeat').length;
  await streamOther!.waitForComments('heartbeat', beats + 2);
  expect(streamOther!.ended).toBe(false);
  expect(streamOther!.failure).toBeUndefined();
  expect(t.deps.notifications.hub.streamCount).toBe(1);
  await streamOther!.close();
});
