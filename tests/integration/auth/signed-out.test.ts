import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../helpers/app.ts';
import { Client, ORIGIN } from '../../helpers/client.ts';
import { makeAdmin, makeSeller, signIn } from '../../helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

/** A seller's client whose session was ended elsewhere (signed out in another tab): it still sends the old cookie. */
async function endedSession() {
  const seller = await makeSeller(t.database.orm);
  const client = await signIn(t.app, seller.user.email);
  const cookies = new Map(client.cookies);
  expect((await client.form('/logout', {})).status).toBe(303);
  client.cookies = cookies;
  return client;
}

const htmx = (page: string) => ({ 'HX-Request': 'true', 'HX-Current-URL': `${ORIGIN}${page}` });

describe('signing in keeps where the visitor was going', () => {
  it('keeps the whole path and query of next, through the redirect and the sign-in form', async () => {
    const admin = await makeAdmin(t.database.orm);
    const anon = new Client(t.app);
    const page = await anon.get('/admin/orders?status=shipped&store=1');
    expect(page.status).toBe(303);
    const login = page.headers.get('location')!;
    expect(login).toBe(`/login?next=${encodeURIComponent('/admin/orders?status=shipped&store=1')}`);
    const form = await (await anon.get(login)).text();
    expect(form).toContain(`action="/login?next=${encodeURIComponent('/admin/orders?status=shipped&store=1').replace(/&/g, '&amp;')}"`);
    const res = await anon.form(login, { email: admin.email, password: 'correct horse battery' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/orders?status=shipped&store=1');
  });

  it('sends a plain form post back to the page that held the form, never to another site', async () => {
    const client = await endedSession();
    const res = await client.form('/seller/orders/1/status', { status: 'confirmed' }, { referer: `${ORIGIN}/seller?status=pending` });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/login?next=${encodeURIComponent('/seller?status=pending')}`);
    const away = await client.form('/seller/orders/1/status', { status: 'confirmed' }, { referer: 'https://evil.example/seller' });
    expect(away.headers.get('location')).toBe('/login');
  });
});

describe('an htmx request that meets an ended session', () => {
  it('gets HX-Redirect to sign-in (returning to the page it came from), not a sign-in page to swap in', async () => {
    const client = await endedSession();
    for (const [path, fields] of [
      ['/seller/orders/1/status', { status: 'confirmed' }],
      ['/seller/bulk', { status: 'confirmed', ids: '1' }],
    ] as const) {
      const res = await client.form(path, fields, htmx('/seller?status=pending&cursor=40'));
      expect(res.status).toBe(401);
      expect(res.headers.get('hx-redirect')).toBe(`/login?next=${encodeURIComponent('/seller?status=pending&cursor=40')}`);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toBe('');
    }
    const row = await client.get('/seller/orders/1/row', htmx('/seller'));
    expect(row.headers.get('hx-redirect')).toBe('/login?next=%2Fseller');
  });

  it('ignores a page address from another site', async () => {
    const client = await endedSession();
    const res = await client.form('/seller/orders/1/status', { status: 'confirmed' }, { 'HX-Request': 'true', 'HX-Current-URL': 'https://evil.example/x' });
    expect(res.headers.get('hx-redirect')).toBe('/login');
  });
});

describe('an event stream refused', () => {
  it('answers 401 with a body that says the session ended and where to sign in', async () => {
    const client = await endedSession();
    const res = await client.get('/events?after=0', { accept: 'text/event-stream', ...htmx('/seller?status=pending') });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.headers.get('hx-redirect')).toBeNull();
    expect(await res.json()).toEqual({
      error: { code: 'session_ended', message: expect.stringContaining('signed out'), signIn: `/login?next=${encodeURIComponent('/seller?status=pending')}` },
    });
  });

  it('tells a visitor who never signed in apart from an ended session', async () => {
    const res = await new Client(t.app).get('/api/events', { accept: 'text/event-stream' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
  });
});
