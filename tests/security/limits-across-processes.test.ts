import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Database } from '../../src/db/client.ts';
import { Client } from '../helpers/client.ts';
import { freshDatabase } from '../helpers/db.ts';
import { apiClient, makeCustomer, makeSeller, PASSWORD } from '../helpers/factories.ts';
import { startAppProcess, type AppProcess } from '../helpers/process.ts';

let url: string;
let database: Database;
let apps: AppProcess[] = [];
beforeAll(async () => {
  ({ url, database } = await freshDatabase());
  apps = await Promise.all([0, 1].map(() => startAppProcess({ DATABASE_URL: url, ORDER_RATE_LIMIT_PER_MINUTE: '4', LOGIN_MAX_FAILURES: '5' })));
});
afterAll(async () => {
  for (const app of apps) app.child.kill('SIGKILL');
  await database.close();
});

it('counts failed sign-ins for one email across two app processes', async () => {
  const user = await makeCustomer(database.orm);
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await new Client(apps[i % 2]!.origin).json('POST', '/api/session', { email: user.email, password: 'wrong password' });
    statuses.push(res.status);
  }
  expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  const right = await new Client(apps[0]!.origin).json('POST', '/api/session', { email: user.email, password: PASSWORD });
  expect(right.status).toBe(429);
  expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
});

it('counts a customer\'s orders per minute across two app processes', async () => {
  const s = await makeSeller(database.orm, [{ stock: 100 }]);
  const user = await makeCustomer(database.orm);
  const clients = await Promise.all(apps.map((a) => apiClient(a.origin, user.email)));
  const statuses: number[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await clients[i % 2]!.json('POST', '/api/orders', { items: [{ productId: s.products[0]!.id, quantity: 1 }], deliveryAddress: '2 Limit Lane, Capton' });
    statuses.push(res.status);
  }
  expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
  const [{ n }] = await database.sql<[{ n: number }]>`select count(*)::int as n from orders where customer_id = ${user.id}`;
  expect(n).toBe(4);
});
