import { afterAll, beforeAll, expect, it } from 'vitest';
import { instanceOn, listen, testApp, type TestApp } from '../helpers/app.ts';
import { apiClient, makeSeller } from '../helpers/factories.ts';
import { SseStream } from '../helpers/sse.ts';

/** MAX_STREAMS_PER_USER open event streams per user, counted in Postgres across processes. */
let a: TestApp;
let b: TestApp;
let origins: [string, string];
let servers: Awaited<ReturnType<typeof listen>>[];
const opened: SseStream[] = [];

beforeAll(async () => {
  a = await testApp({ MAX_STREAMS_PER_USER: '3' });
  b = await instanceOn(a.url, { MAX_STREAMS_PER_USER: '3' });
  servers = [await listen(a.app), await listen(b.app)];
  origins = [servers[0]!.origin, servers[1]!.origin];
});
afterAll(async () => {
  await Promise.all(opened.map((s) => s.close()));
  for (const s of servers) await s.close();
  await b.close();
  await a.close();
});

async function open(origin: string, token: string, path = '/api/events') {
  const stream = await SseStream.open(`${origin}${path}`, { authorization: `Bearer ${token}` });
  opened.push(stream);
  return stream;
}

it('the next stream over the limit gets 429 with a reason, on whichever process it lands; other users are not affected', async () => {
  const s = await makeSeller(a.database.orm);
  const { token } = await apiClient(a.app, s.user.email);
  const first = await open(origins[0], token!);
  await open(origins[0], token!);
  await open(origins[1], token!);
  for (const [origin, path] of [[origins[0], '/api/events'], [origins[1], '/api/events'], [origins[1], '/events']] as const) {
    const over = await open(origin, token!, path);
    expect(over.response.status, `${origin}${path}`).toBe(429);
    expect(over.response.headers.get('retry-after')).toBeTruthy();
    if (path === '/api/events') {
      expect(await over.response.json()).toMatchObject({ error: { code: 'too_many_streams', message: expect.stringContaining('3 live connections') } });
    }
  }
  expect(a.deps.notifications.hub.streamCount + b.deps.notifications.hub.streamCount).toBe(3);

  const other = await makeSeller(a.database.orm);
  const otherToken = (await apiClient(a.app, other.user.email)).token!;
  expect((await open(origins[1], otherToken)).response.status).toBe(200);

  // Closing one frees its place (once the server has seen the stream go).
  await first.close();
  const deadline = Date.now() + 15_000;
  for (;;) {
    const again = await open(origins[1], token!);
    if (again.response.status === 200) break;
    expect(again.response.status).toBe(429);
    if (Date.now() > deadline) throw new Error('a closed stream never freed its place');
    await new Promise((r) => setTimeout(r, 100));
  }
  expect((await open(origins[0], token!)).response.status).toBe(429);
});
