import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cartItems, products } from '../../../src/db/schema.ts';
import { testApp, type TestApp } from '../../helpers/app.ts';
import { Client } from '../../helpers/client.ts';
import { makeCustomer, makeSeller, signIn } from '../../helpers/factories.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

const htmx = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const cartLine = async (userId: string, productId: number) =>
  (await t.database.orm.select().from(cartItems).where(and(eq(cartItems.userId, userId), eq(cartItems.productId, productId))))[0]?.quantity;

async function shopper() {
  const user = await makeCustomer(t.database.orm);
  return { user, client: await signIn(t.app, user.email) };
}

/** The product card of one product in the catalog HTML. */
const card = (html: string, name: string) => html.match(new RegExp(`<li class="product card"[^>]*><h2[^>]*>${name}</h2>[\\s\\S]*?</li>`))?.[0] ?? '';

describe('the catalog', () => {
  it('lists active products with store, price and stock labels, and a disabled button when sold out', async () => {
    const s = await makeSeller(t.database.orm, [
      { name: 'Plenty Pot', price: 1999, stock: 40 },
      { name: 'Rare Bowl', stock: 2 },
      { name: 'Gone Cup', stock: 0 },
      { name: 'Retired Jug', active: false },
    ]);
    const { client } = await shopper();
    const html = await (await client.get('/')).text();
    expect(text(card(html, 'Plenty Pot'))).toContain(`${s.store.name} $19.99 In stock`);
    expect(text(card(html, 'Rare Bowl'))).toContain('Only 2 left');
    expect(card(html, 'Rare Bowl')).toMatch(/<button type="submit" aria-describedby="product-\d+">Add to cart/);
    expect(text(card(html, 'Gone Cup'))).toContain('Sold out');
    expect(card(html, 'Gone Cup')).toMatch(/<button type="submit" disabled=""/);
    expect(html).not.toContain('Retired Jug');
  });

  it('filters by store, and offers visitors a sign-in instead of a cart button', async () => {
    const a = await makeSeller(t.database.orm, [{ name: 'Alpha Thing' }]);
    const b = await makeSeller(t.database.orm, [{ name: 'Beta Thing' }]);
    const html = await (await new Client(t.app).get(`/?store=${a.store.id}`)).text();
    expect(html).toContain('Alpha Thing');
    expect(html).not.toContain('Beta Thing');
    expect(html).toMatch(new RegExp(`<option value="${a.store.id}" selected="">${a.store.name}</option>`));
    expect(html).toContain(`<option value="${b.store.id}">${b.store.name}</option>`);
    expect(html).toContain('Sign in to buy');
    expect(html).not.toContain('Add to cart');
    expect((await new Client(t.app).get('/?store=abc')).status).toBe(422);
  });

  it('GET /api/products gives active products with seller and stock', async () => {
    const s = await makeSeller(t.database.orm, [{ name: 'Api Lamp', price: 3100, stock: 7 }, { name: 'Api Hidden', active: false }]);
    const res = await new Client(t.app).get(`/api/products?store=${s.store.id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { products: unknown[] };
    expect(body.products).toEqual([{ id: s.products[0]!.id, name: 'Api Lamp', description: '', price: 3100, stock: 7, seller: { id: s.store.id, name: s.store.name } }]);
    const all = (await (await new Client(t.app).get('/api/products')).json()) as { products: { name: string }[] };
    expect(all.products.map((p) => p.name)).toContain('Api Lamp');
    expect(all.products.map((p) => p.name)).not.toContain('Api Hidden');
  });
});

describe('adding to the cart', () => {
  it('with htmx answers a message and the nav cart count as an <hx-partial>', async () => {
    const s = await makeSeller(t.database.orm, [{ name: 'Fig Jam', stock: 10 }, { stock: 10 }]);
    const { user, client } = await shopper();
    const res = await client.form('/cart', { productId: s.products[0]!.id }, htmx);
    expect(res.status).toBe(200);
    const body = await res.text();
    expect(body).toContain('Added Fig Jam to your cart (1 in cart).');
    expect(body).toMatch(/<hx-partial hx-target="#cart-count" hx-swap="outerHTML"><span id="cart-count"[^>]*>1<\/span><\/hx-partial>/);
    await client.form('/cart', { productId: s.products[1]!.id, quantity: 2 }, htmx);
    const third = await (await client.form('/cart', { productId: s.products[0]!.id }, htmx)).text();
    expect(third).toMatch(/<span id="cart-count"[^>]*>4<\/span>/);
    expect(await cartLine(user.id, s.products[0]!.id)).toBe(2);
  });

  it('without JavaScript redirects back to the catalog page it came from, with a message', async () => {
    const s = await makeSeller(t.database.orm, [{ name: 'Oat Loaf', stock: 10 }]);
    const { user, client } = await shopper();
    const res = await client.form('/cart', { productId: s.products[0]!.id, next: `/?store=${s.store.id}` });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/?store=${s.store.id}`);
    const page = await (await client.get(res.headers.get('location')!)).text();
    expect(page).toContain('Added Oat Loaf to your cart');
    expect(page).toMatch(/<span id="cart-count"[^>]*>1<\/span>/);
    expect((await client.form('/cart', { productId: s.products[0]!.id, next: '//evil.example' })).headers.get('location')).toBe('/');
    expect(await cartLine(user.id, s.products[0]!.id)).toBe(2);
  });

  it('never holds more than the stock and refuses sold-out, retired and unknown products', async () => {
    const s = await makeSeller(t.database.orm, [{ name: 'Few Figs', stock: 3 }, { name: 'No Nuts', stock: 0 }, { name: 'Old Oil', active: false }]);
    const { user, client } = await shopper();
    const capped = await (await client.form('/cart', { productId: s.products[0]!.id, quantity: 5 }, htmx)).text();
    expect(capped).toContain('Only 3 of Few Figs left: your cart holds 3.');
    const more = await (await client.form('/cart', { productId: s.products[0]!.id }, htmx)).text();
    expect(more).toContain('Only 3 of Few Figs left');
    expect(await cartLine(user.id, s.products[0]!.id)).toBe(3);
    const soldOut = await client.form('/cart', { productId: s.products[1]!.id }, htmx);
    expect(soldOut.status).toBe(409);
    expect(await soldOut.text()).toBe('No Nuts is sold out.');
    const retired = await client.form('/cart', { productId: s.products[2]!.id });
    expect(retired.status).toBe(409);
    expect(await retired.text()).toContain('Old Oil is no longer sold.');
    expect((await client.form('/cart', { productId: 999999 })).status).toBe(404);
    expect((await client.form('/cart', { productId: s.products[0]!.id, quantity: '0' }, htmx)).status).toBe(422);
    expect((await client.form('/cart', { productId: 'x' }, htmx)).status).toBe(422);
    expect(await cartLine(user.id, s.products[1]!.id)).toBeUndefined();
    expect(await cartLine(user.id, s.products[2]!.id)).toBeUndefined();
  });

  it('is for signed-in customers: visitors go to sign in, sellers are refused', async () => {
    const s = await makeSeller(t.database.orm, [{}]);
    const visitor = await new Client(t.app).form('/cart', { productId: s.products[0]!.id });
    expect(visitor.status).toBe(303);
    expect(visitor.headers.get('location')).toMatch(/^\/login/);
    expect((await new Client(t.app).get('/cart')).headers.get('location')).toBe('/login?next=%2Fcart');
    const seller = await signIn(t.app, s.user.email);
    expect((await seller.form('/cart', { productId: s.products[0]!.id })).status).toBe(403);
  });
});

describe('the cart page', () => {
  it('changes a quantity (capped at the stock), removes a line, groups by store and totals', async () => {
    const a = await makeSeller(t.database.orm, [{ name: 'Tea Tin', price: 500, stock: 4 }]);
    const b = await makeSeller(t.database.orm, [{ name: 'Clay Cup', price: 1200, stock: 9 }]);
    const { user, client } = await shopper();
    await client.form('/cart', { productId: a.products[0]!.id });
    await client.form('/cart', { productId: b.products[0]!.id, quantity: 2 });
    const page = text(await (await client.get('/cart')).text());
    expect(page).toContain(`${a.store.name} subtotal $5.00`);
    expect(page).toContain(`${b.store.name} subtotal $24.00`);
    expect(page).toContain('Total $29.00');
    expect(page).toContain('Go to checkout');

    const changed = await client.form(`/cart/${a.products[0]!.id}`, { quantity: 3 }, htmx);
    const fragment = await changed.text();
    expect(fragment.startsWith('<section id="cart"')).toBe(true);
    expect(text(fragment)).toContain('Your cart holds 3 of Tea Tin.');
    expect(text(fragment)).toContain('Total $39.00');
    expect(fragment).toMatch(/<hx-partial hx-target="#cart-count" hx-swap="outerHTML"><span id="cart-count"[^>]*>5<\/span>/);

    const capped = await client.form(`/cart/${a.products[0]!.id}`, { quantity: 9 });
    expect(capped.status).toBe(303);
    expect(await (await client.get('/cart')).text()).toContain('Only 4 of Tea Tin left: your cart holds 4.');
    expect(await cartLine(user.id, a.products[0]!.id)).toBe(4);

    const bad = await client.form(`/cart/${a.products[0]!.id}`, { quantity: '-2' }, htmx);
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('Quantity must be at least 1.');
    expect(await cartLine(user.id, a.products[0]!.id)).toBe(4);

    const removed = await client.form(`/cart/${b.products[0]!.id}/remove`, {});
    expect(removed.status).toBe(303);
    const after = text(await (await client.get('/cart')).text());
    expect(after).toContain('Removed Clay Cup from your cart.');
    expect(after).not.toContain(`${b.store.name} subtotal`);
    expect(await cartLine(user.id, b.products[0]!.id)).toBeUndefined();
  });

  it('says clearly when a product went inactive or sold out since it was added, and counts a line above the stock as the stock, without writing on GET', async () => {
    const s = await makeSeller(t.database.orm, [{ name: 'Soon Gone', stock: 5 }, { name: 'Now Retired', stock: 5 }, { name: 'Getting Scarce', stock: 5 }]);
    const { user, client } = await shopper();
    for (const p of s.products) await client.form('/cart', { productId: p.id, quantity: 3 });
    await t.database.orm.update(products).set({ stock: 0 }).where(eq(products.id, s.products[0]!.id));
    await t.database.orm.update(products).set({ active: false }).where(eq(products.id, s.products[1]!.id));
    await t.database.orm.update(products).set({ stock: 2 }).where(eq(products.id, s.products[2]!.id));
    const page = text(await (await client.get('/cart')).text());
    expect(page).toContain('Soon Gone sold out since you added it. Remove it to check out.');
    expect(page).toContain('Now Retired is no longer sold. Remove it to check out.');
    expect(page).toContain('Only 2 of Getting Scarce left: your cart now holds 2.');
    expect(page).toContain('Remove the products marked above to check out.');
    expect(page).not.toContain('Go to checkout');
    // Reading the cart changes nothing: the customer's 3 stay stored, checkout stores the 2.
    expect(await cartLine(user.id, s.products[2]!.id)).toBe(3);
    expect(page).toContain('Cart 8 ');
    const stale = await client.form(`/cart/${s.products[1]!.id}`, { quantity: 1 }, htmx);
    expect(stale.status).toBe(409);
    expect(await stale.text()).toContain('Now Retired is no longer sold.');
  });

  it('is kept in Postgres: it survives signing out and shows on another device', async () => {
    const s = await makeSeller(t.database.orm, [{ name: 'Lasting Lamp', stock: 5 }]);
    const { user, client } = await shopper();
    await client.form('/cart', { productId: s.products[0]!.id, quantity: 2 });
    await client.form('/logout', {});
    const elsewhere = await signIn(t.app, user.email);
    const html = await (await elsewhere.get('/cart')).text();
    expect(html).toContain('Lasting Lamp');
    expect(html).toMatch(/<span id="cart-count"[^>]*>2<\/span>/);
    const other = (await shopper()).client;
    expect(await (await other.get('/cart')).text()).toContain('Your cart is empty.');
  });
});
