import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuth } from '../../src/auth/lucia.ts';
import { testApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { PASSWORD, makeCustomer, signIn } from '../helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('headers', () => {
  it('sends a CSP without inline script or eval, frame-ancestors none, nosniff and a strict referrer policy', async () => {
    const res = await new Client(t.app).get('/login');
    const csp = res.headers.get('content-security-policy') ?? '';
    const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src')) ?? '';
    expect(scriptSrc).toMatch(/'self'/);
    expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
  });

  it('renders no inline script in pages', async () => {
    const html = await (await new Client(t.app).get('/login')).text();
    for (const tag of html.match(/<script\b[^>]*>/g) ?? []) expect(tag).toMatch(/\ssrc="\/public\//);
  });
});

describe('cookies and sessions', () => {
  it('sets the session cookie HttpOnly and SameSite=Lax, and Secure in production', () => {
    const dev = createAuth(t.database.db, false).createSessionCookie('x').serialize();
    const prod = createAuth(t.database.db, true).createSessionCookie('x').serialize();
    expect(dev).toMatch(/HttpOnly/);
    expect(dev).toMatch(/SameSite=Lax/);
    expect(dev).not.toMatch(/Secure/);
    expect(prod).toMatch(/Secure/);
  });

  it('gives a new session id at login, even when the browser already held one (no fixation)', async () => {
    const user = await makeCustomer(t.database.db);
    const client = new Client(t.app);
    client.cookies.set('ob_session', 'attacker-chosen-session-id');
    await client.form('/login', { email: user.email, password: PASSWORD });
    expect(client.cookies.get('ob_session')).toBeTruthy();
    expect(client.cookies.get('ob_session')).not.toBe('attacker-chosen-session-id');
  });

  it('ends page access once the session expires', async () => {
    const user = await makeCustomer(t.database.db);
    const client = await signIn(t.app, user.email);
    await t.database.sql`update sessions set expires_at = now() - interval '1 second' where user_id = ${user.id}`;
    const res = await client.get('/orders');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/login');
  });
});

describe('cross-origin requests', () => {
  it('refuses a cross-origin form post (with or without a session) and changes nothing', async () => {
    const user = await makeCustomer(t.database.db);
    const client = await signIn(t.app, user.email);
    const res = await client.form('/logout', {}, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    expect(res.status).toBe(403);
    expect((await client.get('/orders')).status).toBe(200);
    const signup = await new Client(t.app).form('/signup', { name: 'X', email: 'x@example.test', phone: '+1 555 0100', password: 'long enough' }, { origin: 'https://evil.example' });
    expect(signup.status).toBe(403);
    const [{ n }] = (await t.database.sql`select count(*)::int as n from users where email = 'x@example.test'`) as unknown as [{ n: number }];
    expect(n).toBe(0);
  });
});
