import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sellers, users } from '../../src/db/schema.ts';
import type { OrderView } from '../../src/orders/queries.ts';
import { testApp, type TestApp } from '../helpers/app.ts';
import { Client } from '../helpers/client.ts';
import { makeAdmin, makeCustomer, makeSeller, signIn } from '../helpers/factories.ts';
import { forceStatus, snapshot } from '../integration/management/fixtures.ts';

/**
 * Every route of the app x every kind of visitor, with the status each must get, and no body
 * showing another user's data. "owner" placed the order at the store of "seller"; "other" is a
 * customer with an order at the store of "otherSeller". Both sides carry marker strings.
 */
type Who = 'out' | 'owner' | 'other' | 'seller' | 'otherSeller' | 'admin';
const ACTORS: Who[] = ['out', 'owner', 'other', 'seller', 'otherSeller', 'admin'];
const expectFor = (...codes: [number, number, number, number, number, number]) => Object.fromEntries(ACTORS.map((a, i) => [a, codes[i]!])) as Record<Who, number>;
const all = (code: number) => expectFor(code, code, code, code, code, code);

const M = {
  owner: { name: 'Olwen OWNNAME', email: 'ownmail-7c1@example.test', phone: '+44 20 7946 0111', address: 'OWNADDR 1 Larch Lane, Leeds', notes: 'OWNNOTE ring twice' },
  other: { name: 'Zara ZQXNAME', email: 'zqxmail-9d2@example.test', phone: '+44 20 7946 0999', address: 'ZQXADDR 9 Secret Way, York', notes: 'ZQXNOTE under the mat' },
  seller: { name: 'Sam ALPHASELLER', email: 'alphamail-3e4@example.test', store: 'ALPHASTORE Anvils', product: 'ALPHAPROD Anvil' },
  otherSeller: { name: 'Boris ZQSNAME', email: 'zqsmail-5f6@example.test', store: 'ZQYSTORE Bazaar', product: 'ZQYPROD Gizmo' },
};

let t: TestApp;
let who: Record<Who, Client>;
let emails: Record<Exclude<Who, 'out'>, string>;
let ownerOrder: OrderView;
let otherOrder: OrderView;
let neutralProduct: number;
let alphaProduct: number;

async function seller(m: typeof M.seller) {
  const s = await makeSeller(t.database.orm, [{ name: m.product, stock: 1000 }]);
  await t.database.orm.update(users).set({ name: m.name, email: m.email }).where(eq(users.id, s.user.id));
  await t.database.orm.update(sellers).set({ name: m.store, notificationEmail: m.email }).where(eq(sellers.id, s.store.id));
  return s;
}

async function placeAs(client: Client, productId: number, m: typeof M.owner) {
  const res = await client.json('POST', '/api/orders', { items: [{ productId, quantity: 1 }], deliveryAddress: m.address, notes: m.notes, phone: m.phone });
  expect(res.status).toBe(201);
  return (await res.json()) as OrderView;
}

beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '100000', LOGIN_MAX_FAILURES: '1000' });
  const db = t.database.orm;
  const alpha = await seller(M.seller);
  const zqy = await seller(M.otherSeller);
  alphaProduct = alpha.products[0]!.id;
  neutralProduct = (await makeSeller(db, [{ name: 'Plain Teapot', stock: 1000 }])).products[0]!.id;
  const owner = await makeCustomer(db, M.owner);
  const other = await makeCustomer(db, M.other);
  const admin = await makeAdmin(db);
  emails = { owner: owner.email, other: other.email, seller: M.seller.email, otherSeller: M.otherSeller.email, admin: admin.email };
  who = { out: new Client(t.app), owner: await signIn(t.app, owner.email), other: await signIn(t.app, other.email), seller: await signIn(t.app, M.seller.email), otherSeller: await signIn(t.app, M.otherSeller.email), admin: await signIn(t.app, admin.email) };
  ownerOrder = await placeAs(who.owner, alphaProduct, M.owner);
  otherOrder = await placeAs(who.other, zqy.products[0]!.id, M.other);
});
afterAll(() => t.close());

const privateOf = (m: { name: string; email: string; phone?: string; address?: string; notes?: string }) => [m.name, m.email, m.phone, m.address, m.notes].filter((s): s is string => !!s);

/** What `actor` must never see in a body. Store and product names are public in the catalog only. */
function forbidden(actor: Who, catalog: boolean): string[] {
  const owner = [...privateOf(M.owner), ownerOrder.orderNumber];
  const other = [...privateOf(M.other), otherOrder.orderNumber];
  const alpha = [...privateOf(M.seller), ...(catalog ? [] : [M.seller.store, M.seller.product])];
  const zqy = [...privateOf(M.otherSeller), ...(catalog ? [] : [M.otherSeller.store, M.otherSeller.product])];
  // A customer sees the store that acted on their order, never the seller's own account.
  return {
    out: [...owner, ...other, ...privateOf(M.seller), ...privateOf(M.otherSeller)],
    owner: [...other, ...zqy, ...privateOf(M.seller)],
    other: [...owner, ...alpha, ...privateOf(M.otherSeller)],
    seller: [...other, ...zqy],
    otherSeller: [...owner, ...alpha],
    admin: [],
  }[actor];
}

interface Ctx {
  order: OrderView;
}
interface Route {
  route: string;
  expect: Record<Who, number>;
  run(c: Client, ctx: Ctx): Promise<Response>;
  /** Who changes the owner's order (a fresh one per visitor); for everyone else it must stay as it was. */
  changes?: Who[];
  from?: 'confirmed';
  /** A fresh session, for routes that end the one they are called with. */
  fresh?: boolean;
  catalog?: boolean;
  stream?: boolean;
}

const get = (path: (ctx: Ctx) => string) => (c: Client, ctx: Ctx) => c.get(path(ctx));
const form = (path: (ctx: Ctx) => string, fields: (ctx: Ctx) => Record<string, string | number | string[]>) => (c: Client, ctx: Ctx) => c.form(path(ctx), fields(ctx));
const api = (method: string, path: (ctx: Ctx) => string, body?: unknown) => (c: Client, ctx: Ctx) => c.json(method, path(ctx), body);
const id = (ctx: Ctx) => ctx.order.id;

const ROUTES: Route[] = [
  // Operations and public pages
  { route: 'GET /healthz', run: get(() => '/healthz'), expect: all(200) },
  { route: 'GET /readyz', run: get(() => '/readyz'), expect: all(200) },
  // Without METRICS_TOKEN configured the route does not exist (tests/security/metrics-auth.test.ts).
  { route: 'GET /metrics', run: get(() => '/metrics'), expect: all(404) },
  { route: 'GET /nowhere (unknown)', run: get(() => '/nowhere'), expect: all(404) },
  { route: 'GET /', run: get(() => '/'), expect: all(200), catalog: true },
  { route: 'GET /api/products', run: get(() => '/api/products'), expect: all(200), catalog: true },
  // Accounts
  { route: 'GET /login', run: get(() => '/login'), expect: all(200) },
  { route: 'POST /login (wrong password)', run: form(() => '/login', () => ({ email: 'nobody@example.test', password: 'not the password' })), expect: all(401) },
  { route: 'GET /signup', run: get(() => '/signup'), expect: all(200) },
  { route: 'POST /signup (invalid)', run: form(() => '/signup', () => ({ name: '', email: 'nope', phone: '', password: 'x' })), expect: all(422) },
  { route: 'POST /api/session (wrong password)', run: api('POST', () => '/api/session', { email: M.owner.email, password: 'not the password' }), expect: all(401) },
  // Cart and checkout (customers only)
  { route: 'GET /cart', run: get(() => '/cart'), expect: expectFor(303, 200, 200, 403, 403, 403) },
  { route: 'POST /cart', run: form(() => '/cart', () => ({ productId: neutralProduct, quantity: 1 })), expect: expectFor(303, 303, 303, 403, 403, 403) },
  { route: 'POST /cart/:productId', run: form(() => `/cart/${neutralProduct}`, () => ({ quantity: 2 })), expect: expectFor(303, 303, 303, 403, 403, 403) },
  { route: 'POST /cart/:productId/remove', run: form(() => `/cart/${neutralProduct}/remove`, () => ({})), expect: expectFor(303, 303, 303, 403, 403, 403) },
  { route: 'GET /checkout', run: get(() => '/checkout'), expect: expectFor(303, 200, 200, 403, 403, 403) },
  { route: 'POST /checkout (invalid)', run: form(() => '/checkout', () => ({ deliveryAddress: '' })), expect: expectFor(303, 422, 422, 403, 403, 403) },
  // Customer order pages
  { route: 'GET /orders', run: get(() => '/orders'), expect: expectFor(303, 200, 200, 403, 403, 403) },
  { route: 'GET /orders/:id', run: get((x) => `/orders/${id(x)}`), expect: expectFor(303, 200, 404, 403, 403, 403) },
  { route: 'GET /orders/:id/cancel', run: get((x) => `/orders/${id(x)}/cancel`), expect: expectFor(303, 200, 404, 403, 403, 403) },
  { route: 'POST /orders/:id/cancel', changes: ['owner'], run: form((x) => `/orders/${id(x)}/cancel`, () => ({})), expect: expectFor(303, 303, 404, 403, 403, 403) },
  // Seller pages
  { route: 'GET /seller', run: get(() => '/seller'), expect: expectFor(303, 403, 403, 200, 200, 403) },
  // The involved seller opening the order records "seen" on its timeline.
  { route: 'GET /seller/orders/:id', changes: ['seller'], run: get((x) => `/seller/orders/${id(x)}`), expect: expectFor(303, 403, 403, 200, 404, 403) },
  { route: 'GET /seller/orders/:id/row', run: get((x) => `/seller/orders/${id(x)}/row`), expect: expectFor(303, 403, 403, 200, 404, 403) },
  { route: 'GET /seller/orders/:id/cancel', run: get((x) => `/seller/orders/${id(x)}/cancel`), expect: expectFor(303, 403, 403, 200, 404, 403) },
  { route: 'POST /seller/orders/:id/status', changes: ['seller'], run: form((x) => `/seller/orders/${id(x)}/status`, () => ({ status: 'confirmed' })), expect: expectFor(303, 403, 403, 303, 404, 403) },
  // The other seller's bulk action names the order but may not touch it: it is reported as not found.
  { route: 'POST /seller/bulk', changes: ['seller'], run: form(() => '/seller/bulk', (x) => ({ ids: [String(id(x))], status: 'confirmed' })), expect: expectFor(303, 403, 403, 303, 303, 403) },
  // Admin pages
  { route: 'GET /admin/orders', run: get(() => '/admin/orders'), expect: expectFor(303, 403, 403, 403, 403, 200) },
  { route: 'GET /admin/orders.csv', run: get(() => '/admin/orders.csv'), expect: expectFor(303, 403, 403, 403, 403, 200) },
  { route: 'GET /admin/orders/:id', run: get((x) => `/admin/orders/${id(x)}`), expect: expectFor(303, 403, 403, 403, 403, 200) },
  { route: 'POST /admin/orders/:id/parts/:partId/status', changes: ['admin'], run: form((x) => `/admin/orders/${id(x)}/parts/${x.order.sellerOrders[0]!.id}/status`, () => ({ status: 'confirmed', reason: 'Phoned the store' })), expect: expectFor(303, 403, 403, 403, 403, 303) },
  { route: 'GET /admin/stats', run: get(() => '/admin/stats'), expect: expectFor(303, 403, 403, 403, 403, 200) },
  { route: 'GET /admin/outbox', run: get(() => '/admin/outbox'), expect: expectFor(303, 403, 403, 403, 403, 200) },
  { route: 'GET /admin/delivery', run: get(() => '/admin/delivery'), expect: expectFor(303, 403, 403, 403, 403, 200) },
  // The order API
  { route: 'POST /api/orders', run: api('POST', () => '/api/orders', { items: [{ productId: 0, quantity: 1 }], deliveryAddress: '5 Neutral Street' }), expect: expectFor(401, 400, 400, 403, 403, 403) },
  { route: 'GET /api/orders', run: get(() => '/api/orders'), expect: expectFor(401, 200, 200, 403, 403, 403) },
  { route: 'GET /api/orders/seller', run: get(() => '/api/orders/seller'), expect: expectFor(401, 403, 403, 200, 200, 403) },
  { route: 'GET /api/orders/:id', run: get((x) => `/api/orders/${id(x)}`), expect: expectFor(401, 200, 404, 200, 404, 200) },
  { route: 'PUT /api/orders/:id/status', changes: ['seller', 'admin'], run: api('PUT', (x) => `/api/orders/${id(x)}/status`, { status: 'confirmed' }), expect: expectFor(401, 403, 403, 200, 404, 200) },
  { route: 'PUT /api/orders/:id/confirm', changes: ['seller', 'admin'], run: api('PUT', (x) => `/api/orders/${id(x)}/confirm`), expect: expectFor(401, 403, 403, 200, 404, 200) },
  { route: 'PUT /api/orders/:id/ship', changes: ['seller', 'admin'], from: 'confirmed', run: api('PUT', (x) => `/api/orders/${id(x)}/ship`), expect: expectFor(401, 403, 403, 200, 404, 200) },
  { route: 'DELETE /api/orders/:id', changes: ['owner', 'admin'], run: api('DELETE', (x) => `/api/orders/${id(x)}`), expect: expectFor(401, 200, 404, 403, 403, 200) },
  // Notifications
  { route: 'GET /api/events', stream: true, run: get(() => '/api/events'), expect: expectFor(401, 200, 200, 200, 200, 200) },
  { route: 'GET /events', stream: true, run: get(() => '/events'), expect: expectFor(401, 200, 200, 200, 200, 200) },
  { route: 'POST /api/notifications/read', run: api('POST', () => '/api/notifications/read', { upTo: 1 }), expect: expectFor(401, 200, 200, 200, 200, 200) },
  { route: 'POST /notifications/read', run: form(() => '/notifications/read', () => ({})), expect: all(303) },
  // Signing out (with a session of its own, so the others stay signed in)
  { route: 'POST /logout', fresh: true, run: form(() => '/logout', () => ({})), expect: all(303) },
  { route: 'DELETE /api/session', fresh: true, run: api('DELETE', () => '/api/session'), expect: expectFor(401, 204, 204, 204, 204, 204) },
];

const freshOrder = () => placeAs(who.owner, alphaProduct, M.owner);
const changed = (a: Awaited<ReturnType<typeof snapshot>>, b: typeof a) => JSON.stringify(a) !== JSON.stringify(b);

describe('authorization matrix: every route x every visitor', () => {
  for (const r of ROUTES) {
    it(r.route, async () => {
      const seen: Record<string, number> = {};
      for (const actor of ACTORS) {
        const order = r.changes ? await freshOrder() : ownerOrder;
        if (r.from) await forceStatus(t.database.orm, order.id, r.from);
        const before = await snapshot(t.database.orm, order.id, [alphaProduct]);
        const client = r.fresh && actor !== 'out' ? await signIn(t.app, emails[actor]) : who[actor];
        const res = await r.run(client, { order });
        seen[actor] = res.status;
        if (r.stream && res.status === 200) {
          expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
          await res.body?.cancel();
        } else {
          const body = await res.text();
          const leaked = forbidden(actor, !!r.catalog).filter((s) => body.includes(s));
          expect(leaked, `${r.route} as ${actor} shows another user's data`).toEqual([]);
        }
        if (res.status === 303 && actor === 'out' && !r.fresh) expect(res.headers.get('location'), r.route).toMatch(/^\/login/);
        const after = await snapshot(t.database.orm, order.id, [alphaProduct]);
        expect(changed(before, after), `${r.route} as ${actor}: order changed?`).toBe(!!r.changes?.includes(actor));
      }
      // The whole row at once, so that a failure shows every visitor's status side by side.
      expect(seen).toEqual(r.expect);
    });
  }
});
