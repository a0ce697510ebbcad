import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { PASSWORD, makeAdmin, makeCustomer } from '../helpers/factories.ts';

/**
 * Sign-in throttling that nobody can turn into someone else's lockout (docs/decisions/005): failures
 * count per (email, client), per client over all emails, and against a high per-account ceiling.
 * The client is told apart by X-Forwarded-For here, as behind a proxy with TRUST_PROXY=1.
 */
let t: TestApp;
beforeAll(async () => {
  t = await testApp({ TRUST_PROXY: '1', LOGIN_MAX_FAILURES: '5', LOGIN_MAX_FAILURES_PER_CLIENT: '12', LOGIN_MAX_FAILURES_PER_ACCOUNT: '15' });
});
afterAll(() => t.close());

let nextAddress = 1;
/** A client at an address of its own (as the proxy saw it). */
const clientAt = (address = `198.51.100.${nextAddress++}`) => ({
  address,
  signIn: (email: string, password: string, extra: Record<string, string> = {}) =>
    new Client(t.app).json('POST', '/api/session', { email, password }, { 'x-forwarded-for': address, ...extra }),
});

describe('sign-in throttling', () => {
  it('refuses the client that guessed wrong, not the account owner on another client (anyone could lock admins out before)', async () => {
    const admin = await makeAdmin(t.database.orm);
    const attacker = clientAt();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attacker.signIn(admin.email, `guess ${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    const refused = await attacker.signIn(admin.email, PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // The admin, from their own machine, signs in at once.
    expect((await clientAt().signIn(admin.email, PASSWORD)).status).toBe(201);
  });

  it('limits one client trying many accounts (password spraying)', async () => {
    const sprayer = clientAt();
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await sprayer.signIn((await makeCustomer(t.database.orm)).email, 'Summer2026!')).status);
    expect(statuses.slice(0, 12).every((s) => s === 401)).toBe(true);
    expect(statuses[12]).toBe(429);
    // Even a right password from that client waits; other clients are not affected.
    const victim = await makeCustomer(t.database.orm);
    expect((await sprayer.signIn(victim.email, PASSWORD)).status).toBe(429);
    expect((await clientAt().signIn(victim.email, PASSWORD)).status).toBe(201);
  });

  it('holds an account-wide ceiling that one client alone cannot reach', async () => {
    const user = await makeCustomer(t.database.orm);
    const clients = [clientAt(), clientAt(), clientAt(), clientAt()];
    const statuses: number[] = [];
    for (const c of clients) for (let i = 0; i < 5; i++) statuses.push((await c.signIn(user.email, `guess ${i}`)).status);
    // 5 + 5 + 5 failures reach the ceiling of 15; the fourth client is refused from its first try.
    expect(statuses.slice(0, 15).every((s) => s === 401)).toBe(true);
    expect(statuses.slice(15)).toEqual([429, 429, 429, 429, 429]);
  });

  it('a right password does not count as a failure', async () => {
    const user = await makeCustomer(t.database.orm);
    const c = clientAt();
    for (let i = 0; i < 10; i++) expect((await c.signIn(user.email, PASSWORD)).status).toBe(201);
  });

  it('without TRUST_PROXY, X-Forwarded-For is ignored: a forged header does not make a new client', async () => {
    const direct = await testApp({ LOGIN_MAX_FAILURES: '3' });
    try {
      const user = await makeCustomer(direct.database.orm);
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await new Client(direct.app).json('POST', '/api/session', { email: user.email, password: 'wrong' }, { 'x-forwarded-for': `203.0.113.${i}` });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([401, 401, 401, 429, 429]);
    } finally {
      await direct.close();
    }
  });

  it('with TRUST_PROXY=1 only the address the proxy appended counts, not what the client put before it', async () => {
    const user = await makeCustomer(t.database.orm);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await new Client(t.app).json('POST', '/api/session', { email: user.email, password: 'wrong' }, { 'x-forwarded-for': `10.0.0.${i}, 192.0.2.77` });
      statuses.push(res.status);
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });
});
