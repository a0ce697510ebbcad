import { PASSWORD } from './seed.ts';

/** One real sign-in through POST /api/session, so that the SQL-made sessions stand for real ones. */
export async function checkLogin(base: string, email: string) {
  const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (res.status !== 201) throw new Error(`sign-in through POST /api/session answered ${res.status}: ${await res.text()}`);
  const { token } = (await res.json()) as { token: string };
  const orders = await fetch(`${base}/api/orders`, { headers: { authorization: `Bearer ${token}` } });
  if (orders.status !== 200) throw new Error(`GET /api/orders with a fresh token answered ${orders.status}`);
}
