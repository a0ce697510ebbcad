import { Hono, type Context } from 'hono';
import { CartSection } from '../../views/cart.tsx';
import { CartMessagePage, CartUpdate, CatalogPage, type Shopper } from '../../views/shop.tsx';
import { requireRole } from '../auth/middleware.ts';
import { formBody } from '../http/body.ts';
import { safeRedirect } from '../http/redirect.ts';
import type { AppEnv } from '../http/env.ts';
import type { AppError } from '../http/errors.ts';
import { isPartial, page, respond, setFlash } from '../http/render.tsx';
import { parse } from '../http/validate.ts';
import { addToCartSchema, cartQuantitySchema, catalogQuerySchema, productParam } from './schemas.ts';
import { activeProducts, addToCart, cartFor, removeFromCart, setQuantity, storesWithProducts, type CartChange } from './service.ts';

type C = Context<AppEnv>;

const shopperOf = (c: C): Shopper => {
  const role = c.get('user')?.role;
  return role === 'customer' ? 'customer' : role ? 'staff' : 'visitor';
};

/** A field's own message says more than the form-wide one for these one-field forms. */
const reason = (e: AppError) => Object.values(e.fields ?? {})[0] ?? e.message;

/** After a change on the cart page: htmx gets the cart again with the nav count; a plain post goes back to /cart. */
async function cartChanged(c: C, change: CartChange) {
  const { database, config } = c.get('deps');
  if (!isPartial(c)) {
    setFlash(c, change.message);
    return c.redirect('/cart', 303);
  }
  const cart = await cartFor(database.sql, c.get('user')!.id);
  return c.html(
    <CartUpdate count={change.count}>
      <CartSection cart={cart} currency={config.CURRENCY} message={change.message} />
    </CartUpdate>,
  );
}

/** A refused cart change shows the cart again with the reason (htmx swaps it; without JS the page). */
async function cartForm(c: C) {
  const { database, config } = c.get('deps');
  const cart = await cartFor(database.sql, c.get('user')!.id);
  c.set('renderForm', (e) => <CartSection cart={cart} currency={config.CURRENCY} message={reason(e)} />);
}

const productId = (c: C) => parse(productParam, c.req.param('productId'));

export const catalogRoutes = new Hono<AppEnv>()
  .get('/', async (c) => {
    const { store } = parse(catalogQuerySchema, c.req.query());
    const { database, config } = c.get('deps');
    const [products, stores] = await Promise.all([activeProducts(database.sql, store), storesWithProducts(database.sql)]);
    return page(c, 'Shop', <CatalogPage products={products} stores={stores} storeId={store} shopper={shopperOf(c)} currency={config.CURRENCY} />);
  })
  .get('/api/products', async (c) => {
    const { store } = parse(catalogQuerySchema, c.req.query());
    return c.json({ products: await activeProducts(c.get('deps').database.sql, store) });
  })
  .get('/cart', requireRole('customer'), async (c) => {
    const { database, config } = c.get('deps');
    const cart = await cartFor(database.sql, c.get('user')!.id);
    return respond(c, 'Your cart', <CartSection cart={cart} currency={config.CURRENCY} />);
  })
  .post('/cart', requireRole('customer'), async (c) => {
    const values = await formBody(c);
    // htmx puts the reason where "Added" would have appeared; without JS it gets a page of its own.
    c.set('renderForm', (e) => (isPartial(c) ? <>{reason(e)}</> : <CartMessagePage message={reason(e)} />));
    const { productId, quantity } = parse(addToCartSchema, values);
    const change = await addToCart(c.get('deps').database.sql, c.get('user')!.id, productId, quantity);
    if (isPartial(c)) return c.html(<CartUpdate count={change.count}>{change.message}</CartUpdate>);
    setFlash(c, change.message);
    return c.redirect(safeRedirect(typeof values.next === 'string' ? values.next : undefined, '/'), 303);
  })
  .post('/cart/:productId', requireRole('customer'), async (c) => {
    const values = await formBody(c);
    await cartForm(c);
    const { quantity } = parse(cartQuantitySchema, values);
    return cartChanged(c, await setQuantity(c.get('deps').database.sql, c.get('user')!.id, productId(c), quantity));
  })
  .post('/cart/:productId/remove', requireRole('customer'), async (c) => {
    await cartForm(c);
    return cartChanged(c, await removeFromCart(c.get('deps').database.sql, c.get('user')!.id, productId(c)));
  });
