import { Hono, type Context } from 'hono';
import { CartSection } from '../../views/cart.tsx';
import { CartMessagePage, CartUpdate, CatalogPage, type Shopper } from '../../views/shop.tsx';
import { requireRole } from '../auth/middleware.ts';
import { formBody } from '../http/body.ts';
import { safeRedirect } from '../http/redirect.ts';
import type { AppEnv, SignedInEnv } from '../env.ts';
import type { AppError } from '../http/errors.ts';
import { attempt, formAgain } from '../http/forms.ts';
import { isPartial, page, respond, setFlash } from '../http/render.tsx';
import { parse } from '../http/validate.ts';
import { addToCartSchema, cartQuantitySchema, catalogQuerySchema, productParam } from './schemas.ts';
import { activeProducts, addToCart, cartFor, removeFromCart, setQuantity, storesWithProducts, type CartChange } from './service.ts';

type C = Context<SignedInEnv>;

const shopperOf = (c: Context<AppEnv>): Shopper => {
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
  const cart = await cartFor(database.sql, c.get('user').id);
  return c.html(
    <CartUpdate count={change.count}>
      <CartSection cart={cart} currency={config.CURRENCY} message={change.message} />
    </CartUpdate>,
  );
}

/** A cart change, or the cart again with the reason it was refused (htmx swaps it; without JS the page). */
async function changeCart(c: C, change: () => Promise<CartChange>) {
  const done = await attempt(change);
  if (done.ok) return cartChanged(c, done.value);
  const { database, config } = c.get('deps');
  const cart = await cartFor(database.sql, c.get('user').id);
  return formAgain(c, done, <CartSection cart={cart} currency={config.CURRENCY} message={reason(done.error)} />);
}

const productId = (c: Context) => parse(productParam, c.req.param('productId'));

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
    const cart = await cartFor(database.sql, c.get('user').id);
    return respond(c, 'Your cart', <CartSection cart={cart} currency={config.CURRENCY} />);
  })
  .post('/cart', requireRole('customer'), async (c) => {
    const values = await formBody(c);
    const added = await attempt(() => {
      const { productId, quantity } = parse(addToCartSchema, values);
      return addToCart(c.get('deps').database.sql, c.get('user').id, productId, quantity);
    });
    // htmx puts the reason where "Added" would have appeared; without JS it gets a page of its own.
    if (!added.ok) return formAgain(c, added, isPartial(c) ? <>{reason(added.error)}</> : <CartMessagePage message={reason(added.error)} />);
    const change = added.value;
    if (isPartial(c)) return c.html(<CartUpdate count={change.count}>{change.message}</CartUpdate>);
    setFlash(c, change.message);
    return c.redirect(safeRedirect(typeof values.next === 'string' ? values.next : undefined, '/'), 303);
  })
  .post('/cart/:productId', requireRole('customer'), async (c) => {
    const values = await formBody(c);
    return changeCart(c, async () => {
      const { quantity } = parse(cartQuantitySchema, values);
      return setQuantity(c.get('deps').database.sql, c.get('user').id, productId(c), quantity);
    });
  })
  .post('/cart/:productId/remove', requireRole('customer'), (c) =>
    changeCart(c, () => removeFromCart(c.get('deps').database.sql, c.get('user').id, productId(c))),
  );
