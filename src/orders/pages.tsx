import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { CheckoutForm, CheckoutPage, type CheckoutProps } from '../../views/checkout.tsx';
import { CancelOrderPage, OrderPage, OrdersPage } from '../../views/orders.tsx';
import { requireRole } from '../auth/middleware.ts';
import { cartFingerprint, cartFor, fitCartToStock } from '../catalog/service.ts';
import type { AppEnv, SignedInEnv } from '../env.ts';
import { formBody } from '../http/body.ts';
import { Conflict } from '../http/errors.ts';
import { attempt, formAgain } from '../http/forms.ts';
import { isPartial, page, setFlash } from '../http/render.tsx';
import { isOwnNavigation } from '../http/request-facts.ts';
import { parse } from '../http/validate.ts';
import { latestId, markOrderRead } from '../notifications/store.ts';
import { customerOrders, lastDeliveryAddress, orderFor } from './queries.ts';
import { idempotencyKeySchema, orderDetailsSchema, pageSchema, pathId } from './schemas.ts';
import { changeStatus, placeOrder } from './service.ts';
import { customerCancelRefusal } from './status.ts';

type C = Context<SignedInEnv>;

/** What the checkout shows for the signed-in customer's cart. */
async function checkout(c: C): Promise<CheckoutProps> {
  const { database, config } = c.get('deps');
  const user = c.get('user');
  const [cart, lastAddress] = await Promise.all([cartFor(database.sql, user.id), lastDeliveryAddress(database.sql, user)]);
  return {
    customer: user,
    cart,
    cartShown: cartFingerprint(cart),
    lastAddress,
    currency: config.CURRENCY,
    estimatedDelivery: new Date(Date.now() + config.DELIVERY_DAYS * 86_400_000),
    idempotencyKey: randomUUID(),
  };
}

/**
 * Whether the cart changed under the checkout form: its lines differ from those the form showed,
 * or (a form without them) the stock fell below a line. Then the quantities the page showed are
 * stored, so that the next submit goes through.
 */
async function changedUnderForm(c: C, shown: unknown, cart: CheckoutProps['cart']) {
  const changed = typeof shown === 'string' ? shown !== cartFingerprint(cart) : cart.lowered.length > 0;
  if (changed) await fitCartToStock(c.get('deps').database.sql, c.get('user').id);
  return changed;
}

const orderId = (c: C) => pathId(c.req.param('id'));

export const customerOrderPages = new Hono<AppEnv>()
  .use('/checkout', requireRole('customer'))
  .use('/orders', requireRole('customer'))
  .use('/orders/*', requireRole('customer'))
  .get('/checkout', async (c) => page(c, 'Checkout', <CheckoutPage {...await checkout(c)} />))
  .post('/checkout', async (c) => {
    const values = await formBody(c);
    const props = await checkout(c);
    // Keep the key of the form that was sent, so that a retry after an error is still one order.
    const sent = idempotencyKeySchema.safeParse(values.idempotencyKey);
    const key = sent.success ? sent.data : props.idempotencyKey;
    const { database, config } = c.get('deps');
    const placed = await attempt(async () => {
      const details = parse(orderDetailsSchema, values);
      if (await changedUnderForm(c, values.cartShown, props.cart))
        throw new Conflict(props.cart.lowered.join(' ') || 'Your cart changed since this page was shown: check the summary, then place the order.');
      const items = props.cart.lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));
      return placeOrder(database.sql, c.get('user'), { ...details, items }, {
        idempotencyKey: key,
        deliveryDays: config.DELIVERY_DAYS,
        ratePerMinute: config.ORDER_RATE_LIMIT_PER_MINUTE,
      });
    });
    if (!placed.ok) {
      const form = { ...props, idempotencyKey: key, values, errors: placed.error.fields, message: placed.error.message };
      return formAgain(c, placed, isPartial(c) ? <CheckoutForm {...form} /> : <CheckoutPage {...form} />);
    }
    setFlash(c, `Thank you! Your order ${placed.value.order.orderNumber} is placed.`);
    const to = `/orders/${placed.value.order.id}`;
    if (c.req.header('HX-Request') === 'true') {
      c.header('HX-Redirect', to);
      return c.body(null, 200);
    }
    return c.redirect(to, 303);
  })
  .get('/orders', async (c) => {
    const { database, config } = c.get('deps');
    const orders = await customerOrders(database.sql, c.get('user'), parse(pageSchema, c.req.query()));
    return page(c, 'My orders', <OrdersPage page={orders} currency={config.CURRENCY} />);
  })
  .get('/orders/:id', async (c) => {
    const { database, config } = c.get('deps');
    const user = c.get('user');
    // Read before the order, so a change committed in between is replayed by the stream rather than lost.
    const after = await latestId(database.sql, user.id);
    const order = await orderFor(database.sql, user, orderId(c));
    // A link on another site may show the order but not mark it read (a GET changes nothing for others).
    if (isOwnNavigation(c)) await markOrderRead(database.sql, user.id, order.id);
    return page(c, `Order ${order.orderNumber}`, <OrderPage order={order} currency={config.CURRENCY} after={after} />);
  })
  .get('/orders/:id/cancel', async (c) => {
    const order = await orderFor(c.get('deps').database.sql, c.get('user'), orderId(c));
    const refused = customerCancelRefusal(order.sellerOrders);
    if (refused) {
      setFlash(c, refused);
      return c.redirect(`/orders/${order.id}`, 303);
    }
    return page(c, `Cancel order ${order.orderNumber}`, <CancelOrderPage order={order} />);
  })
  .post('/orders/:id/cancel', async (c) => {
    const id = orderId(c);
    await changeStatus(c.get('deps').database.sql, c.get('user'), id, 'cancelled');
    setFlash(c, 'Your order is cancelled.');
    return c.redirect(`/orders/${id}`, 303);
  });
