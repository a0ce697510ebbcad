import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { PASSWORD, makeAdmin, makeCustomer, makeSeller, signIn } from '../helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

/** Every kind of page, as the visitor who may see it: the CSP and the other headers must be on each. */
async function everyPage(): Promise<[Client, string][]> {
  const anonymous = new Client(t.app);
  const shop = await makeSeller(t.database.orm);
  const customer = await signIn(t.app, (await makeCustomer(t.database.orm)).email);
  const seller = await signIn(t.app, shop.user.email);
  const admin = await signIn(t.app, (await makeAdmin(t.database.orm)).email);
  expect((await customer.form('/cart', { productId: shop.products[0]!.id, quantity: 1 })).status).toBe(303);
  const placed = await customer.form('/checkout', { deliveryAddress: '4 Header Street, Leeds' });
  const orderPath = placed.headers.get('location')!;
  expect(orderPath).toMatch(/^\/orders\/\d+$/);
  const orderId = orderPath.split('/').pop();
  return [
    [anonymous, '/login'],
    [anonymous, '/signup'],
    [anonymous, '/'],
    [anonymous, '/no-such-page'],
    [customer, '/cart'],
    [customer, '/checkout'],
    [customer, '/orders'],
    [customer, orderPath],
    [seller, '/seller'],
    [seller, `/seller/orders/${orderId}`],
    [admin, '/admin/orders'],
    [admin, `/admin/orders/${orderId}`],
    [admin, '/admin/stats'],
    [admin, '/admin/outbox'],
  ];
}

describe('headers', () => {
  it('sends on every page a CSP without inline script or eval, frame-ancestors none, nosniff and a strict referrer policy', async () => {
    const pages = await everyPage();
    for (const [client, path] of pages) {
      const res = await client.get(path);
      expect(res.headers.get('content-type'), path).toContain('text/html');
      const csp = res.headers.get('content-security-policy') ?? '';
      const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
      expect(scriptSrc, path).toMatch(/'self'/);
      expect(scriptSrc, path).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp, path).toContain("frame-ancestors 'none'");
      expect(csp, path).toContain("object-src 'none'");
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('referrer-policy'), path).toBe('same-origin');
      expect(res.headers.get('x-frame-options'), path).toBe('DENY');
      expect(res.headers.get('strict-transport-security'), path).toBeNull(); // only in production
    }
  });

  it('renders no inline script in pages', async () => {
    const html = await (await new Client(t.app).get('/login')).text();
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="\/public\//);
  });
});

describe('cookies and sessions', () => {
  it('sets the session cookie HttpOnly and SameSite=Lax at sign-in, and not Secure outside production', async () => {
    const user = await makeCustomer(t.database.orm);
    const res = await new Client(t.app).form('/login', { email: user.email, password: PASSWORD });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ob_session=')) ?? '';
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    expect(cookie).not.toMatch(/; Secure/i);
  });

  it('gives a new session id at login, even when the browser already held one (no fixation)', async () => {
    const user = await makeCustomer(t.database.orm);
    const client = new Client(t.app);
    client.cookies.set('ob_session', 'attacker-chosen-session-id');
    await client.form('/login', { email: user.email, password: PASSWORD });
    expect(client.cookies.get('ob_session')).toBeTruthy();
    expect(client.cookies.get('ob_session')).not.toBe('attacker-chosen-session-id');
  });

  it('ends page access once the session expires', async () => {
    const user = await makeCustomer(t.database.orm);
    const client = await signIn(t.app, user.email);
    await t.database.sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${user.id}`;
    const res = await client.get('/orders');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/login');
  });
});

describe('cross-origin requests', () => {
  it('refuses a cross-origin form post (with or without a session) and changes nothing', async () => {
    const user = await makeCustomer(t.database.orm);
    const client = await signIn(t.app, user.email);
    const res = await client.form('/logout', {}, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    expect((await client.get('/orders')).status).toBe(200);
    const signup = await new Client(t.app).form('/signup', { name: 'X', email: 'x@example.test', phone: '+1 555 0100', password: 'long enough' }, { origin: 'https://evil.example' });
    expect(signup.status).toBe(403);
    const [{ n }] = await t.database.sql<[{ n: number }]>`select count(*)::int as n from users where email = 'x@example.test'`;
    expect(n).toBe(0);
  });
});

describe('in production (NODE_ENV=production, through the app)', () => {
  let prod: TestApp;
  beforeAll(async () => {
    prod = await testApp({ NODE_ENV: 'production' });
  });
  afterAll(() => prod.close());

  it('makes the session cookie Secure at sign-in and sends HSTS on pages', async () => {
    const user = await makeCustomer(prod.database.orm);
    const res = await new Client(prod.app).form('/login', { email: user.email, password: PASSWORD });
    expect(res.status).toBe(303);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ob_session=')) ?? '';
    expect(cookie).toMatch(/; Secure/i);
    expect(cookie).toMatch(/; HttpOnly/i);
    expect(cookie).toMatch(/; SameSite=Lax/i);
    for (const path of ['/login', '/']) {
      expect((await new Client(prod.app).get(path)).headers.get('strict-transport-security'), path).toBe('max-age=31536000; includeSubDomains');
    }
  });
});
