import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessions, users } from '../../../src/db/schema.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import { Client } from '../../helpers/client.ts';
import { PASSWORD, apiClient, makeAdmin, makeCustomer, makeSeller, signIn } from '../../helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const signupFields = (over: Record<string, string> = {}) => ({
  name: 'Nina New',
  email: `nina-${Math.random().toString(36).slice(2)}@example.test`,
  phone: '+44 20 7946 0958',
  password: 'long enough',
  ...over,
});

describe('signup', () => {
  it('creates a customer account, signs in and lowercases the email', async () => {
    const client = new Client(t.app);
    const fields = signupFields({ email: `Mixed.Case${Date.now()}@Example.TEST` });
    const res = await client.form('/signup', fields);
    expect(res.status).toBe(303);
    expect(client.cookies.get('ob_session')).toBeTruthy();
    const [row] = await t.database.orm.select().from(users).where(eq(users.email, fields.email.toLowerCase()));
    expect(row?.role).toBe('customer');
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    const home = await client.get('/');
    expect(await home.text()).toContain('Nina New');
  });

  it.each([
    ['name', { name: '' }, 'Enter your name'],
    ['name', { name: 'x'.repeat(101) }, 'at most 100'],
    ['email', { email: 'not-an-email' }, 'valid email'],
    ['phone', { phone: 'call me' }, 'phone number'],
    ['password', { password: 'short' }, 'at least 8'],
  ])('refuses a bad %s with 422, the message next to the field, and the typed values kept', async (field, over, message) => {
    const before = await t.database.orm.select({ n: sql<number>`count(*)::int` }).from(users);
    const res = await new Client(t.app).form('/signup', signupFields(over));
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain(`id="f-${field}-error"`);
    expect(html).toContain(message);
    if (field !== 'name') expect(html).toContain('value="Nina New"');
    const after = await t.database.orm.select({ n: sql<number>`count(*)::int` }).from(users);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('refuses a second account with the same email in another case with 409', async () => {
    const fields = signupFields();
    expect((await new Client(t.app).form('/signup', fields)).status).toBe(303);
    const res = await new Client(t.app).form('/signup', { ...fields, email: fields.email.toUpperCase() });
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('already exists');
  });
});

describe('login and sessions', () => {
  it('signs in with the right password, with a new session id at every login', async () => {
    const user = await makeCustomer(t.database.orm);
    const first = await signIn(t.app, user.email);
    const second = await signIn(t.app, user.email.toUpperCase());
    expect(first.cookies.get('ob_session')).not.toBe(second.cookies.get('ob_session'));
    const cookie = (await new Client(t.app).form('/login', { email: user.email, password: PASSWORD })).headers.get('set-cookie');
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('answers a wrong password with 401 and the form again', async () => {
    const user = await makeCustomer(t.database.orm);
    const res = await new Client(t.app).form('/login', { email: user.email, password: 'wrong password' });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain('Wrong email or password');
  });

  it('throttles after 5 failures for one email within 15 minutes, with Retry-After', async () => {
    const user = await makeCustomer(t.database.orm);
    for (let i = 0; i < 5; i++) {
      expect((await new Client(t.app).json('POST', '/api/session', { email: user.email, password: 'nope nope' })).status).toBe(401);
    }
    const res = await new Client(t.app).json('POST', '/api/session', { email: user.email, password: PASSWORD });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
  });

  it('lets no burst of parallel wrong passwords past the limit', async () => {
    const user = await makeCustomer(t.database.orm);
    const results = await Promise.all(
      Array.from({ length: 12 }, () => new Client(t.app).json('POST', '/api/session', { email: user.email, password: 'nope nope' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('does not count a right password as a failure', async () => {
    const user = await makeCustomer(t.database.orm);
    for (let i = 0; i < 8; i++) expect((await new Client(t.app).json('POST', '/api/session', { email: user.email, password: PASSWORD })).status).toBe(201);
  });

  it('logout revokes the session', async () => {
    const user = await makeCustomer(t.database.orm);
    const client = await signIn(t.app, user.email);
    const id = client.cookies.get('ob_session')!;
    expect((await client.form('/logout', {})).status).toBe(303);
    expect(await t.database.orm.select().from(sessions).where(eq(sessions.id, id))).toHaveLength(0);
    const stale = new Client(t.app);
    stale.cookies.set('ob_session', id);
    expect((await stale.get('/api/orders')).status).toBe(401);
  });
});

describe('API session and bearer tokens', () => {
  it('POST /api/session returns user and token, the token works as a bearer, DELETE revokes it', async () => {
    const user = await makeCustomer(t.database.orm);
    const res = await new Client(t.app).json('POST', '/api/session', { email: user.email, password: PASSWORD });
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).toContain('ob_session=');
    const body = (await res.json()) as { user: { email: string; role: string }; token: string };
    expect(body.user).toMatchObject({ email: user.email, role: 'customer' });
    expect(body.user).not.toHaveProperty('passwordHash');
    const client = new Client(t.app);
    client.token = body.token;
    expect((await client.json('DELETE', '/api/session')).status).toBe(204);
    expect((await client.json('DELETE', '/api/session')).status).toBe(401);
  });

  it('answers bad credentials JSON with 401 and the error shape, bad input with 400 and fields', async () => {
    const bad = await new Client(t.app).json('POST', '/api/session', { email: 'nobody@example.test', password: 'whatever1' });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ error: { code: 'unauthorized', message: 'Wrong email or password.' } });
    const invalid = await new Client(t.app).json('POST', '/api/session', { email: 'x' });
    expect(invalid.status).toBe(400);
    const body = (await invalid.json()) as { error: { fields: Record<string, string> } };
    expect(Object.keys(body.error.fields).sort()).toEqual(['email', 'password']);
  });
});

describe('cross-origin protection', () => {
  it('refuses a cookie-authenticated form post from another origin and accepts the same origin', async () => {
    const user = await makeCustomer(t.database.orm);
    const client = await signIn(t.app, user.email);
    const evil = await client.form('/logout', {}, { origin: 'https://evil.example' });
    expect(evil.status).toBe(403);
    expect((await client.get('/api/orders')).status).not.toBe(401);
    expect((await client.form('/logout', {})).status).toBe(303);
  });

  it('lets a bearer-token request through without an Origin header', async () => {
    const user = await makeCustomer(t.database.orm);
    const client = await apiClient(t.app, user.email);
    const res = await client.request('/api/session', { method: 'DELETE', headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(204);
  });
});

describe('role guards', () => {
  it('redirects a signed-out visitor to /login for pages and answers 401 for the API', async () => {
    const anon = new Client(t.app);
    const page = await anon.get('/seller');
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Fseller');
    expect((await anon.get('/api/orders')).status).toBe(401);
  });

  it('answers 403 for the wrong role and lets the right role in', async () => {
    const customer = await signIn(t.app, (await makeCustomer(t.database.orm)).email);
    const seller = await signIn(t.app, (await makeSeller(t.database.orm)).user.email);
    const admin = await signIn(t.app, (await makeAdmin(t.database.orm)).email);
    expect((await customer.get('/seller')).status).toBe(403);
    expect((await customer.get('/admin/orders')).status).toBe(403);
    expect((await seller.get('/admin/orders')).status).toBe(403);
    expect((await seller.get('/seller')).status).toBe(200);
    expect((await admin.get('/admin/orders')).status).toBe(200);
  });
});
