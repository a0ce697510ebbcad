import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { CheckoutForm, CheckoutPage, type CheckoutProps } from '../../views/checkout.tsx';
import { CancelOrderPage, OrderPage, OrdersPage, customerCanCancel } from '../../views/orders.tsx';
import { requireRole } from '../auth/middleware.ts';
import { cartFor } from '../catalog/service.ts';
import { formBody } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { Conflict } from '../http/errors.ts';
import { isPartial, page, setFlash } from '../http/render.tsx';
import { isOwnNavigation } from '../http/request-facts.ts';
import { parse } from '../http/validate.ts';
import { latestId, markOrderRead } from '../notifications/store.ts';
import { customerOrders, lastDeliveryAddress, orderFor } from './queries.ts';
import { idempotencyKeySchema, orderDetailsSchema, pageSchema, pathId } from './schemas.ts';
import { changeStatus, placeOrder } from './service.ts';

type C = Context<AppEnv>;

/** What the checkout shows for the signed-in customer's cart. */
async function checkout(c: C): Promise<CheckoutProps> {
  const { database, config } = c.get('deps');
  const user = c.get('user')!;
  const [cart, lastAddress] = await Promise.all([cartFor(database.sql, user.id), lastDeliveryAddress(database.sql, user)]);
  return {
    customer: user,
    cart,
    lastAddress,
    currency: config.CURRENCY,
    estimatedDelivery: new Date(Date.now() + config.DELIVERY_DAYS * 86_400_000),
    idempotencyKey: randomUUID(),
  };
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
    c.set('renderForm', (e) => {
      const form = { ...props, idempotencyKey: key, values, errors: e.fields, message: e.message };
      return isPartial(c) ? <CheckoutForm {...form} /> : <CheckoutPage {...form} />;
    });
    const details = parse(orderDetailsSchema, values);
    // The cart changed under the form (less stock than it showed): let the customer see the new summary first.
    if (props.cart.lowered.length) throw new Conflict(props.cart.lowered.join(' '));
    const { database, config } = c.get('deps');
    const items = props.cart.lines.map((l) => ({ productId: l.productId, quantity: l.quantity }));
    const placed = await placeOrder(database.sql, c.get('user')!, { ...details, items }, {
      idempotencyKey: key,
      deliveryDays: config.DELIVERY_DAYS,
      ratePerMinute: config.ORDER_RATE_LIMIT_PER_MINUTE,
    });
    setFlash(c, `Thank you! Your order ${placed.orderNumber} is placed.`);
    const to = `/orders/${placed.id}`;
    if (c.req.header('HX-Request') === 'true') {
      c.header('HX-Redirect', to);
      return c.body(null, 200);
    }
    return c.redirect(to, 303);
  })
  .get('/orders', async (c) => {
    const { database, config } = c.get('deps');
    const orders = await customerOrders(database.sql, c.get('user')!, parse(pageSchema, c.req.query()));
    return page(c, 'My orders', <OrdersPage page={orders} currency={config.CURRENCY} />);
  })
  .get('/orders/:id', async (c) => {
    const { database, config } = c.get('deps');
    const user = c.get('user')!;
    // Read before the order, so a change committed in between is replayed by the stream rather than lost.
    const after = await latestId(database.sql, user.id);
    const order = await orderFor(database.sql, user, orderId(c));
    // A link on another site may show the order but not mark it read (a GET changes nothing for others).
    if (isOwnNavigation(c)) await markOrderRead(database.sql, user.id, order.id);
    return page(c, `Order ${order.orderNumber}`, <OrderPage order={order} currency={config.CURRENCY} after={after} />);
  })
  .get('/orders/:id/cancel', async (c) => {
    const order = await orderFor(c.get('deps').database.sql, c.get('user')!, orderId(c));
    if (!customerCanCancel(order)) {
      setFlash(c, 'A store has already confirmed this order, so it can no longer be cancelled here.');
      return c.redirect(`/orders/${order.id}`, 303);
    }
    return page(c, `Cancel order ${order.orderNumber}`, <CancelOrderPage order={order} />);
  })
  .post('/orders/:id/cancel', async (c) => {
    const id = orderId(c);
    await changeStatus(c.get('deps').database.sql, c.get('user')!, id, 'cancelled');
    setFlash(c, 'Your order is cancelled.');
    return c.redirect(`/orders/${id}`, 303);
  });
