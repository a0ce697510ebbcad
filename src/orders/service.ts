import type { Db, Pool } from '../db/client.ts';
import type { Status } from '../db/schema.ts';
import { Conflict, Invalid, NotFound, TooMany } from '../http/errors.ts';
import { countAttempt } from '../ops/rate-limit.ts';
import { finishOrderView, orderFor, orderScope, orderViewSelect, storeIdOf, type OrderSources, type OrderView, type Viewer } from './queries.ts';
import type { PlaceOrderInput } from './schemas.ts';
import { actorOf, deriveStatus, refusal } from './status.ts';

export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string;
}

export interface PlaceOptions {
  idempotencyKey?: string;
  deliveryDays: number;
  ratePerMinute: number;
}

export interface Placed {
  /** The order as its customer sees it, as GET /api/orders/:id shows it. */
  order: OrderView;
  /** True when the idempotency key matched an order placed earlier. */
  replayed: boolean;
}

const existing = (sql: Db, customerId: string, key: string) =>
  sql<{ id: number }[]>`select id::int as id from orders where customer_id = ${customerId} and idempotency_key = ${key}`;

/** The placing statement's CTEs, which return the rows they insert, read as an order view (queries.ts). */
const PLACING: OrderSources = { orders: 'o', sellerOrders: 'parts', items: 'items', events: 'placed' };

/** Merges repeated lines of one product, in product id order (the order rows are locked in). */
function mergeLines(items: PlaceOrderInput['items']) {
  const byProduct = new Map<number, number>();
  for (const { productId, quantity } of items) byProduct.set(productId, (byProduct.get(productId) ?? 0) + quantity);
  return [...byProduct].sort(([a], [b]) => a - b).map(([productId, quantity]) => ({ productId, quantity }));
}

/**
 * Places an order in one transaction: prices come from the database, stock is taken under row
 * locks so two buyers never get the same last unit, and the order, its items, one seller order
 * per store and the `placed` event are written together (the triggers add the notifications).
 * The idempotency key makes a repeated submit return the first order.
 */
export async function placeOrder(sql: Pool, customer: Customer, input: PlaceOrderInput, opts: PlaceOptions): Promise<Placed> {
  const viewer: Viewer = { id: customer.id, role: 'customer' };
  const key = opts.idempotencyKey;
  const replay = async (db: Db, id: number): Promise<Placed> => ({ order: await orderFor(db, viewer, id), replayed: true });
  if (key) {
    const [found] = await existing(sql, customer.id, key);
    if (found) return replay(sql, found.id);
  }
  return sql.begin(async (tx) => {
    // Statements sent together without waiting (postgres.js pipelines them on the transaction's
    // connection: one write, one round trip) still run one after the other, each with its own
    // snapshot, so each runs under the locks of those before it.
    if (key) {
      const [, [found]] = await Promise.all([tx`select pg_advisory_xact_lock(hashtext(${`order:${customer.id}:${key}`}))`, existing(tx, customer.id, key)]);
      if (found) return replay(tx, found.id);
    }
    const lines = mergeLines(input.items);
    const ids = lines.map((l) => l.productId);
    // A per-customer limit, counted in this transaction: a refused order rolls back and uncounts
    // itself. The product rows are locked in id order right after it, in the same round trip.
    const [{ wait }, products] = await Promise.all([
      countAttempt(tx, `order:${customer.id}`, opts.ratePerMinute, 60),
      tx<{ id: number; sellerId: number; name: string; price: number; stock: number; active: boolean }[]>`
        select id, seller_id as "sellerId", name, price, stock, active from products where id = any(${ids}::int[]) order by id for update`,
    ]);
    if (wait) throw new TooMany(`You have placed many orders in the last minute. Please wait ${wait} seconds and try again.`, wait);
    // The checkout page builds items from the cart, which a replayed submit finds empty.
    if (!input.items.length) throw new Invalid('Your cart is empty.', { items: 'Add at least one product.' });
    const byId = new Map(products.map((p) => [p.id, p]));
    const fields: Record<string, string> = {};
    const priced = lines.map((line, i) => {
      const p = byId.get(line.productId);
      if (!p) fields[`items.${i}.productId`] = `Product ${line.productId} does not exist.`;
      else if (!p.active) fields[`items.${i}.productId`] = `${p.name} is no longer sold.`;
      return { ...line, sellerId: p?.sellerId ?? 0, name: p?.name ?? '', price: p?.price ?? 0, stock: p?.stock ?? 0 };
    });
    if (Object.keys(fields).length) throw new Invalid(Object.values(fields).join(' '), fields);
    const short = priced.filter((l) => l.stock < l.quantity);
    if (short.length) {
      const msg = short.map((l) => (l.stock ? `only ${l.stock} of ${l.name} left` : `${l.name} is sold out`)).join('; ');
      throw new Conflict(`Not enough stock: ${msg}.`, { items: `Not enough stock: ${msg}.` });
    }
    // Every write in one statement, which answers with the order as GET /api/orders/:id shows it,
    // read from the rows its CTEs return (a later statement would be one more round trip).
    // Data-modifying CTEs run to completion whether or not the answer reads them.
    const [order] = await tx<OrderView[]>`
      with lines as (
        select * from jsonb_to_recordset(${JSON.stringify(priced)}::jsonb)
          as l("productId" int, "sellerId" int, name text, price int, quantity int)
      ), taken as (
        update products p set stock = p.stock - l.quantity from lines l where p.id = l."productId"
      ), o as (
        insert into orders (customer_id, customer_name, customer_email, customer_phone, delivery_address, notes,
          total_amount, payment_method, estimated_delivery, idempotency_key)
        values (${customer.id}, ${customer.name}, ${customer.email}, ${input.phone ?? customer.phone}, ${input.deliveryAddress},
          ${input.notes ?? ''}, (select sum(price * quantity) from lines), ${input.paymentMethod},
          now() + make_interval(days => ${opts.deliveryDays}), ${key ?? null})
        returning *
      ), items as (
        insert into order_items (order_id, product_id, seller_id, name, price, quantity, subtotal)
        select o.id, l."productId", l."sellerId", l.name, l.price, l.quantity, l.price * l.quantity from o, lines l
        returning *
      ), parts as (
        insert into seller_orders (order_id, seller_id, subtotal, changed_by)
        select o.id, l."sellerId", sum(l.price * l.quantity), ${customer.id} from o, lines l group by o.id, l."sellerId"
        returning *
      ), placed as (
        insert into order_events (order_id, actor_id, actor_role, type, to_status)
        select o.id, ${customer.id}, 'customer', 'placed', 'pending' from o
        returning *
      ), cart as (
        delete from cart_items where user_id = ${customer.id} and product_id in (select "productId" from lines)
      )
      ${orderViewSelect(tx, viewer, PLACING, tx`true`)}`;
    return { order: finishOrderView(order!, viewer), replayed: false };
  });
}

export interface ChangeOptions {
  /** Admins may act on one store's part; others act on every part they may touch. */
  sellerOrderId?: number;
  reason?: string;
}

/**
 * Moves the viewer's part(s) of an order to `to` through the status machine, under row locks
 * (order first, then its parts) so that two simultaneous changes cannot both apply. A refused
 * transition changes nothing. Cancelling puts the stock back. The order's status is derived.
 */
export async function changeStatus(sql: Pool, viewer: Viewer, orderId: number, to: Status, opts: ChangeOptions = {}): Promise<void> {
  const actor = actorOf(viewer.role);
  await sql.begin(async (tx) => {
    const [order] = await tx`select o.id from orders o where o.id = ${orderId} and ${orderScope(tx, viewer)} for update`;
    if (!order) throw new NotFound('No such order.');
    const all = await tx<{ id: number; sellerId: number; status: Status; userId: string }[]>`
      select so.id::int as id, so.seller_id as "sellerId", so.status, (select s.user_id from sellers s where s.id = so.seller_id) as "userId"
      from seller_orders so where so.order_id = ${orderId} order by so.id for update`;
    const mine = all.filter((p) =>
      actor === 'seller' ? p.userId === viewer.id : opts.sellerOrderId ? p.id === opts.sellerOrderId : true,
    );
    if (!mine.length) throw new NotFound('No such order.');
    // A customer cancels what is left of the order (parts a store already cancelled stay as they
    // are), and only while all of it is pending. An admin acting on the whole order leaves alone
    // the parts that already have the wanted status.
    const skip = (p: { status: Status }) => (actor === 'customer' ? p.status === 'cancelled' : actor === 'admin' && !opts.sellerOrderId && p.status === to);
    const acting = mine.some((p) => !skip(p)) ? mine.filter((p) => !skip(p)) : mine;
    const refused = acting.map((p) => refusal(p.status, to, actor)).find(Boolean);
    if (refused) throw new Conflict(refused);
    const partIds = acting.map((p) => p.id);
    await tx`update seller_orders set status = ${to}, changed_by = ${viewer.id}, updated_at = now() where id = any(${partIds}::bigint[])`;
    if (to === 'cancelled') {
      await tx`
        update products p set stock = p.stock + back.quantity
        from (select i.product_id, sum(i.quantity)::int as quantity from order_items i join seller_orders so
              on so.order_id = i.order_id and so.seller_id = i.seller_id where so.id = any(${partIds}::bigint[]) group by i.product_id) back
        where p.id = back.product_id`;
    }
    const type = actor === 'admin' && opts.reason ? 'override' : 'status_changed';
    await tx`
      insert into order_events (order_id, seller_order_id, actor_id, actor_role, type, from_status, to_status, note)
      select ${orderId}, x.id, ${viewer.id}, ${viewer.role}, ${type}, x.status, ${to}, ${opts.reason ?? ''}
      from jsonb_to_recordset(${JSON.stringify(acting)}::jsonb) as x(id bigint, status text)`;
    const statuses = all.map((p) => (partIds.includes(p.id) ? to : p.status));
    await tx`update orders set status = ${deriveStatus(statuses)}, updated_at = now() where id = ${orderId}`;
  });
}

/** The first time a seller opens an order, the timeline records that they have seen it. */
export async function markSeen(sql: Db, viewer: Viewer, orderId: number) {
  await sql`
    insert into order_events (order_id, seller_order_id, actor_id, actor_role, type)
    select so.order_id, so.id, ${viewer.id}, 'seller', 'seen' from seller_orders so
    where so.order_id = ${orderId} and so.seller_id = ${storeIdOf(sql, viewer)}
      and not exists (select 1 from order_events e where e.seller_order_id = so.id and e.type = 'seen')`;
}
