import { Hono, type Context } from 'hono';
import { requireRole, requireUser } from '../auth/middleware.ts';
import type { Status } from '../db/schema.ts';
import { jsonBody } from '../http/body.ts';
import type { AppEnv, SignedInEnv } from '../env.ts';
import { parse } from '../http/validate.ts';
import { customerOrders, orderFor, sellerOrders } from './queries.ts';
import { idempotencyKeySchema, pageSchema, pathId, placeOrderSchema, statusSchema } from './schemas.ts';
import { changeStatus, placeOrder } from './service.ts';

/** The JSON API for orders; see DESIGN.md for the contract. */
export const orderApi = new Hono<AppEnv>()
  .post('/api/orders', requireRole('customer'), async (c) => {
    const input = parse(placeOrderSchema, await jsonBody(c));
    const header = c.req.header('idempotency-key');
    const idempotencyKey = header === undefined ? undefined : parse(idempotencyKeySchema, header);
    const { database, config } = c.get('deps');
    const user = c.get('user');
    const placed = await placeOrder(database.sql, user, input, {
      idempotencyKey,
      deliveryDays: config.DELIVERY_DAYS,
      ratePerMinute: config.ORDER_RATE_LIMIT_PER_MINUTE,
    });
    if (placed.replayed) c.header('Idempotent-Replayed', 'true');
    return c.json(placed.order, placed.replayed ? 200 : 201);
  })
  .get('/api/orders', requireRole('customer'), async (c) => {
    const page = await customerOrders(c.get('deps').database.sql, c.get('user'), parse(pageSchema, c.req.query()));
    return c.json({ orders: page.rows, nextCursor: page.nextCursor });
  })
  .get('/api/orders/seller', requireRole('seller'), async (c) => {
    const page = await sellerOrders(c.get('deps').database.sql, c.get('user'), parse(pageSchema, c.req.query()));
    return c.json({ orders: page.rows, nextCursor: page.nextCursor });
  })
  .get('/api/orders/:id', requireUser, async (c) => c.json(await orderFor(c.get('deps').database.sql, c.get('user'), pathId(c.req.param('id')))))
  .put('/api/orders/:id/status', requireRole('seller', 'admin'), async (c) => {
    const { status, reason } = parse(statusSchema, await jsonBody(c));
    return respondChanged(c, status, reason);
  })
  .put('/api/orders/:id/confirm', requireRole('seller', 'admin'), (c) => respondChanged(c, 'confirmed'))
  .put('/api/orders/:id/ship', requireRole('seller', 'admin'), (c) => respondChanged(c, 'shipped'))
  .delete('/api/orders/:id', requireRole('customer', 'admin'), (c) => respondChanged(c, 'cancelled'));

async function respondChanged(c: Context<SignedInEnv>, status: Status, reason?: string) {
  const { sql } = c.get('deps').database;
  const viewer = c.get('user');
  const orderId = pathId(c.req.param('id')!);
  await changeStatus(sql, viewer, orderId, status, { reason });
  return c.json(await orderFor(sql, viewer, orderId));
}
