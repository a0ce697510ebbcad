import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emailOutbox, orderEvents, orders } from '../../../src/db/schema.ts';
import type { OrderView } from '../../../src/orders/queries.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import type { Client } from '../../helpers/client.ts';
import { apiClient, makeAdmin, makeCustomer, makeSeller } from '../../helpers/factories.ts';
import { parseCsv } from '../../helpers/csv.ts';
import { forceStatus, place } from './fixtures.ts';

let t: TestApp;
let admin: Client;
let A: Awaited<ReturnType<typeof makeSeller>>;
let B: Awaited<ReturnType<typeof makeSeller>>;
const o: Record<string, OrderView> = {};
const HOSTILE_NAME = '=HYPERLINK("http://evil.example","click")';
const TRICKY_ADDRESS = 'Flat 2, "The Mews"\nLondon';

const setDate = (id: number, iso: string) => t.database.orm.update(orders).set({ createdAt: new Date(iso), orderDate: new Date(iso) }).where(eq(orders.id, id));
const numbersIn = (html: string) => [...html.matchAll(/<a href="\/admin\/orders\/\d+">(OB-[0-9A-F]{8})<\/a>/g)].map((m) => m[1]!);
const list = async (query: string) => numbersIn(await (await admin.get(`/admin/orders?${query}`)).text());

beforeAll(async () => {
  t = await testApp({ ORDER_RATE_LIMIT_PER_MINUTE: '100000' });
  const db = t.database.orm;
  A = await makeSeller(db, [{ price: 1000, stock: 900, name: 'Anvil' }]);
  B = await makeSeller(db, [{ price: 2500, stock: 900, name: 'Bellows' }]);
  const alice = await apiClient(t.app, (await makeCustomer(db, { email: 'Alice.Admin@example.test', phone: '+1 555 0101' })).email);
  const bob = await apiClient(t.app, (await makeCustomer(db, { name: HOSTILE_NAME, email: 'bob@example.test', phone: '+1 555 0202' })).email);
  admin = await apiClient(t.app, (await makeAdmin(db)).email);
  const a = A.products[0]!.id;
  const b = B.products[0]!.id;
  o.one = await place(alice, [{ productId: a, quantity: 1 }]); // $10, A
  o.two = await place(bob, [{ productId: b, quantity: 1 }], { deliveryAddress: TRICKY_ADDRESS }); // $25, B
  o.three = await place(alice, [{ productId: a, quantity: 2 }, { productId: b, quantity: 2 }]); // $70, A+B
  o.four = await place(bob, [{ productId: a, quantity: 4 }]); // $40, A
  await forceStatus(db, o.two.id, 'confirmed');
  await forceStatus(db, o.three.id, 'cancelled');
  await setDate(o.one.id, '2026-01-10T10:00:00Z');
  await setDate(o.two.id, '2026-01-20T23:30:00Z');
  await setDate(o.three.id, '2026-02-01T00:10:00Z');
  await setDate(o.four.id, '2026-02-14T12:00:00Z');
});
afterAll(() => t.close());

describe('the admin order list', () => {
  it('filters by status, store and date range, and combines them', async () => {
    const n = (k: string) => o[k]!.orderNumber;
    expect(await list('')).toEqual([n('four'), n('three'), n('two'), n('one')]);
    expect(await list('status=confirmed')).toEqual([n('two')]);
    expect(await list(`store=${A.store.id}`)).toEqual([n('four'), n('three'), n('one')]);
    expect(await list('from=2026-01-20&to=2026-02-01')).toEqual([n('three'), n('two')]);
    expect(await list(`store=${B.store.id}&status=cancelled`)).toEqual([n('three')]);
    expect(await list('status=&store=&from=&to=&q=&sort=')).toHaveLength(4);
  });

  it('takes the store as a number, a label or the start of its name, links by number, and never lists every store', async () => {
    const byId = await list(`store=${A.store.id}`);
    expect(byId).toEqual([o.four!.orderNumber, o.three!.orderNumber, o.one!.orderNumber]);
    const label = `${A.store.name} (#${A.store.id})`;
    for (const typed of [`#${A.store.id}`, A.store.name, A.store.name.toUpperCase(), A.store.name.slice(0, -2), label]) {
      expect(await list(`store=${encodeURIComponent(typed)}`), typed).toEqual(byId);
    }
    // The field shows the store it resolved to; the CSV link names it by number.
    const html = await (await admin.get(`/admin/orders?store=${encodeURIComponent(A.store.name.slice(0, -2))}&status=pending`)).text();
    expect(html).toContain(`value="${label}"`);
    expect(html).toContain(`href="/admin/orders.csv?store=${A.store.id}&amp;status=pending"`);
    // Several or no stores: the form again with the message at the field, naming a few matches.
    const several = await admin.get('/admin/orders?store=Store');
    expect(several.status).toBe(422);
    const text = await several.text();
    expect(text).toContain('Several stores match');
    expect(text).toContain(label);
    const none = await admin.get('/admin/orders?store=No%20such%20shop');
    expect(none.status).toBe(422);
    expect(await none.text()).toContain('No store is called “No such shop”');
    // A store without orders is in no page of the list: the filter is a search, not a list of stores.
    const idle = await makeSeller(t.database.orm, [{}]);
    expect(await (await admin.get('/admin/orders')).text()).not.toContain(idle.store.name);
  });

  it('suggests stores as the store field is typed in, each a link to the list with the other filters kept', async () => {
    const field = await (await admin.get('/admin/orders')).text();
    expect(field).toMatch(/<input id="f-store" name="store" type="search"[^>]*hx-get="\/admin\/store-matches"[^>]*hx-include="closest form"/);
    const matches = await (await admin.get(`/admin/store-matches?q=&status=pending&store=${encodeURIComponent(A.store.name.slice(0, -2))}&sort=newest`)).text();
    expect(matches).toContain(`<a href="/admin/orders?status=pending&amp;store=${A.store.id}&amp;sort=newest">${A.store.name} (#${A.store.id})</a>`);
    expect(matches).not.toContain(B.store.name);
    const both = await (await admin.get('/admin/store-matches?store=store')).text();
    expect(both).toContain(`store=${A.store.id}`);
    expect(both).toContain(`store=${B.store.id}`);
    expect(await (await admin.get(`/admin/store-matches?store=${B.store.id}`)).text()).toContain(`${B.store.name} (#${B.store.id})`);
    expect(await (await admin.get('/admin/store-matches?store=zzz')).text()).toContain('No store has that number or a name starting with');
  });

  it('finds an order by its number (any case, with or without OB-), the customer email or phone', async () => {
    const n = o.two!.orderNumber;
    expect(await list(`q=${n}`)).toEqual([n]);
    expect(await list(`q=${n.toLowerCase()}`)).toEqual([n]);
    expect(await list(`q=${n.slice(3)}`)).toEqual([n]);
    expect(await list('q=ALICE.admin%40example.test')).toEqual([o.three!.orderNumber, o.one!.orderNumber]);
    expect(await list(`q=${encodeURIComponent('+1 555 0202')}`)).toEqual([o.four!.orderNumber, n]);
    expect(await list('q=nobody%40example.test')).toEqual([]);
  });

  it('finds parts of order numbers, names, emails, phone digits and addresses, every word somewhere', async () => {
    const n = (k: string) => o[k]!.orderNumber;
    expect(await list(`q=${n('two').slice(0, 6).toLowerCase()}`)).toContain(n('two'));
    expect(await list(`q=${n('two').slice(4, 9)}`)).toContain(n('two'));
    expect(await list('q=alice.adm')).toEqual([n('three'), n('one')]);
    expect(await list('q=HYPERLINK')).toEqual([n('four'), n('two')]);
    expect(await list('q=5550202')).toEqual([n('four'), n('two')]);
    expect(await list('q=mews')).toEqual([n('two')]);
    expect(await list('q=harbour%20alice')).toEqual([n('three'), n('one')]);
    expect(await list('q=harbour%20nobody')).toEqual([]);
    // LIKE's wildcards are taken as typed.
    expect(await list('q=%25')).toEqual([]);
    expect(await list('q=_')).toEqual([]);
  });

  it('sorts by newest, oldest and highest total', async () => {
    const n = (k: string) => o[k]!.orderNumber;
    expect(await list('sort=oldest')).toEqual([n('one'), n('two'), n('three'), n('four')]);
    expect(await list('sort=total')).toEqual([n('three'), n('four'), n('two'), n('one')]);
  });

  it('explains a bad filter next to its field and lists nothing', async () => {
    for (const [query, message] of [['status=lost', 'Choose a status from the list.'], ['from=2026-02-01&to=2026-01-01', 'To must be on or after From.'], ['from=yesterday', 'From must be a date like 2026-01-31.']] as const) {
      const res = await admin.get(`/admin/orders?${query}`);
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toMatch(new RegExp(`<p id="f-\\w+-error" class="error">${message}</p>`));
      expect(numbersIn(html)).toEqual([]);
    }
  });

  it('pages both ways in every sort order, keeping the filters, with the position, without gaps or repeats', async () => {
    const carol = await apiClient(t.app, (await makeCustomer(t.database.orm, { email: 'carol@example.test' })).email);
    const placed: { number: string; total: number; id: number }[] = [];
    // 107 orders: three pages of 50, so there is a first, a middle and a last page; totals repeat, so the total sort leans on the id.
    for (let i = 0; i < 107; i++) {
      const order = await place(carol, [{ productId: A.products[0]!.id, quantity: (i % 4) + 1 }]);
      placed.push({ number: order.orderNumber, total: order.totalAmount, id: order.id });
    }
    const filters = `q=carol%40example.test&store=${A.store.id}`;
    const read = async (url: string) => {
      const res = await admin.get(url);
      expect(res.status).toBe(200);
      const html = await res.text();
      const link = (rel: string) => html.match(new RegExp(`<a href="([^"]+)" rel="${rel}">`))?.[1]?.replace(/&amp;/g, '&');
      const position = html.match(/<span class="position">([^<]*)<\/span>/)?.[1];
      return { numbers: numbersIn(html), newer: link('prev'), older: link('next'), position };
    };
    const walk = async (sort: string) => {
      const forward: Awaited<ReturnType<typeof read>>[] = [];
      for (let url: string | undefined = `/admin/orders?${filters}&sort=${sort}`; url; url = forward.at(-1)!.older) forward.push(await read(url));
      const back = [forward.at(-1)!];
      while (back[0]!.newer) back.unshift(await read(back[0]!.newer));
      for (const page of [...forward, ...back]) {
        for (const link of [page.newer, page.older].filter((l) => l !== undefined)) {
          expect(link).toContain(`${filters}&sort=${sort}`);
        }
      }
      expect(back.map((p) => p.numbers)).toEqual(forward.map((p) => p.numbers));
      expect(back.map((p) => p.position)).toEqual(forward.map((p) => p.position));
      expect(forward.map((p) => p.position)).toEqual(['Orders 1–50 of 107', 'Orders 51–100 of 107', 'Orders 101–107 of 107']);
      expect(forward[0]!.newer).toBeUndefined();
      expect(forward.at(-1)!.older).toBeUndefined();
      expect(forward[1]!.newer).toBeDefined();
      expect(forward[1]!.older).toBeDefined();
      return forward.flatMap((p) => p.numbers);
    };
    const byId = [...placed].sort((x, y) => y.id - x.id);
    expect(await walk('newest')).toEqual(byId.map((p) => p.number));
    expect(await walk('oldest')).toEqual([...byId].reverse().map((p) => p.number));
    expect(await walk('total')).toEqual([...placed].sort((x, y) => y.total - x.total || y.id - x.id).map((p) => p.number));
    // The CSV export ignores page links and holds every matching order.
    const csv = parseCsv((await (await admin.get(`/admin/orders.csv?${filters}&before=${byId[0]!.id}`)).text()).replace(/^\ufeff/, ''));
    expect(csv.length - 1).toBe(107);
  });

  it('counts the position from the rollups or the index as the full count would, on first and later pages', async () => {
    const cases: [string, string][] = [
      ['', 'true'],
      [`store=${A.store.id}`, `o.id in (select order_id from seller_orders where seller_id = ${A.store.id})`],
      [`store=${A.store.id}&status=pending`, `o.id in (select order_id from seller_orders where seller_id = ${A.store.id} and status = 'pending')`],
      [`store=${B.store.id}&from=2026-01-01&to=2026-02-10`, `o.id in (select order_id from seller_orders where seller_id = ${B.store.id}) and o.created_at >= '2026-01-01Z' and o.created_at < '2026-02-11Z'`],
      ['status=pending', `o.id in (select order_id from seller_orders where status = 'pending')`],
      ['sort=oldest', 'true'],
    ];
    let paged = 0;
    for (const [query, condition] of cases) {
      const [{ total }] = await t.database.sql.unsafe<[{ total: number }]>(`select count(*)::int as total from orders o where ${condition}`);
      const html = await (await admin.get(`/admin/orders?${query}`)).text();
      const position = (page: string) => page.match(/<span class="position">([^<]*)<\/span>/)?.[1];
      if (total <= 50) {
        expect(position(html), query).toBeUndefined();
        continue;
      }
      paged++;
      expect(position(html), query).toBe(`Orders 1–50 of ${total.toLocaleString('en-US')}`);
      const older = html.match(/<a href="([^"]+)" rel="next">/)![1]!.replace(/&amp;/g, '&');
      const next = await (await admin.get(older)).text();
      expect(position(next), query).toBe(`Orders 51–${Math.min(100, total)} of ${total.toLocaleString('en-US')}`);
    }
    expect(paged).toBeGreaterThanOrEqual(4);
  });

  it('refuses a broken page link, or cursor and before at once, with a 422 and no rows', async () => {
    for (const [query, message] of [
      ['cursor=5&before=9', 'Give cursor or before, not both.'],
      ['before=abc', 'That page link is broken.'],
      ['before=0', 'That page link is broken.'],
      ['before=1.5', 'That page link is broken.'],
      ['sort=total&before=7', 'That page link is broken.'],
      ['sort=total&before=99999999999.1', 'That page link is broken.'],
      ['before=9999999999999999', 'That page link is broken.'],
    ] as const) {
      const res = await admin.get(`/admin/orders?${query}`);
      expect(res.status, query).toBe(422);
      const html = await res.text();
      expect(html).toContain(message);
      expect(numbersIn(html)).toEqual([]);
    }
  });
});

describe('the CSV export', () => {
  it('holds exactly the filtered orders, parses back, and neutralises formulas', async () => {
    const res = await admin.get(`/admin/orders.csv?store=${A.store.id}&to=2026-02-28&sort=total`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="orders-/);
    const rows = parseCsv((await res.text()).replace(/^\ufeff/, ''));
    expect(rows[0]).toEqual(['Order number', 'Placed at (UTC)', 'Status', 'Customer', 'Email', 'Phone', 'Delivery address', 'Stores', 'Store statuses', 'Total', 'Amount due', 'Currency']);
    const body = rows.slice(1);
    expect(body.map((r) => r[0])).toEqual([o.three!.orderNumber, o.four!.orderNumber, o.one!.orderNumber]);
    const four = body[1]!;
    expect(four[1]).toBe('2026-02-14T12:00:00.000Z');
    expect(four[2]).toBe('pending');
    expect(four[3]).toBe(`'${HOSTILE_NAME}`);
    expect(four[5]).toBe("'+1 555 0202");
    expect(four[7]).toBe(A.store.name);
    expect(four.slice(8)).toEqual([`${A.store.name}: pending`, '40.00', '40.00', 'USD']);
    expect(body[0]![7]).toBe([A.store.name, B.store.name].sort().join('; '));
    expect(body[0]![2]).toBe('cancelled');
  });

  it('keeps commas, quotes and line breaks inside one cell', async () => {
    const rows = parseCsv((await (await admin.get(`/admin/orders.csv?q=${o.two!.orderNumber}`)).text()).replace(/^\ufeff/, ''));
    expect(rows).toHaveLength(2);
    expect(rows[1]![6]).toBe(TRICKY_ADDRESS);
    expect(rows[1]![0]).toBe(o.two!.orderNumber);
  });
});

describe('the admin order page', () => {
  it('shows every part and the customer, and overrides one part with a required reason that lands in the timeline', async () => {
    const order = o.one!;
    const page = await (await admin.get(`/admin/orders/${order.id}`)).text();
    expect(page).toContain('Alice.Admin@example.test');
    expect(page).toContain(A.store.name);
    const part = order.sellerOrders[0]!.id;
    const path = `/admin/orders/${order.id}/parts/${part}/status`;
    const missing = await admin.form(path, { status: 'confirmed', reason: ' ' });
    expect(missing.status).toBe(422);
    expect(await missing.text()).toContain('Give a reason for the override');
    const refused = await admin.form(path, { status: 'delivered', reason: 'Customer called' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('must be confirmed first');
    expect(await t.database.orm.select().from(orderEvents).where(eq(orderEvents.orderId, order.id))).toHaveLength(1);
    const ok = await admin.form(path, { status: 'confirmed', reason: 'Store confirmed by phone' });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe(`/admin/orders/${order.id}`);
    const events = await t.database.orm.select().from(orderEvents).where(eq(orderEvents.orderId, order.id)).orderBy(orderEvents.id);
    expect(events.at(-1)).toMatchObject({ type: 'override', sellerOrderId: part, actorRole: 'admin', fromStatus: 'pending', toStatus: 'confirmed', note: 'Store confirmed by phone' });
    const after = await (await admin.get(`/admin/orders/${order.id}`)).text();
    expect(after).toContain('Reason: Store confirmed by phone');
    expect(after).toContain('Status overridden');
  });

  it('refuses a part that belongs to another order', async () => {
    const res = await admin.form(`/admin/orders/${o.one!.id}/parts/${o.two!.sellerOrders[0]!.id}/status`, { status: 'shipped', reason: 'Wrong order' });
    expect(res.status).toBe(404);
  });
});

describe('the email outbox page', () => {
  it('lists queued and sent emails, newest first', async () => {
    await t.database.orm.insert(emailOutbox).values([
      { to: 'first@example.test', subject: 'Older email', body: 'one', sentAt: new Date('2026-01-01T10:00:00Z') },
      { to: 'second@example.test', subject: 'Newer email', body: 'two' },
    ]);
    const html = await (await admin.get('/admin/outbox')).text();
    expect(html.indexOf('Newer email')).toBeLessThan(html.indexOf('Older email'));
    expect(html).toContain('Not sent yet');
    expect(html).toContain('Jan 1, 2026');
  });
});
