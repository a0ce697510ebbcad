import type { Db } from '../db/client.ts';
import { SELLER_ORDER_STATUSES, type Role, type Status } from '../db/schema.ts';
import { NotFound } from '../http/errors.ts';
import type { PageQuery } from './schemas.ts';
import { actorOf, allowedFrom, amountDue, customerCancelRefusal, progressOf, type PartState, type Progress } from './status.ts';

/** Whoever is asking: every query that reads an order takes it, so scope lives in the SQL. */
export interface Viewer {
  id: string;
  role: Role;
}

export interface LineItem {
  productId: number;
  sellerId: number;
  name: string;
  price: number;
  quantity: number;
  subtotal: number;
}

export interface SellerOrderPart {
  id: number;
  sellerId: number;
  storeName: string;
  status: Status;
  subtotal: number;
  updatedAt: string;
  items: LineItem[];
  /** The statuses the viewer may move this part to now (the status machine decides, pages show). */
  actions: Status[];
}

export interface TimelineEntry {
  type: 'placed' | 'status_changed' | 'seen' | 'override';
  status: Status | null;
  from: Status | null;
  actor: { name: string; role: Role } | null;
  storeName: string | null;
  note: string;
  at: string;
}

export interface OrderView {
  id: number;
  orderNumber: string;
  status: Status;
  customer: { name: string; email: string; phone: string };
  deliveryAddress: string;
  notes: string;
  paymentMethod: string;
  totalAmount: number;
  /** What the customer pays on delivery: the parts that are not cancelled. */
  amountDue: number;
  /** How far the parts have come when they differ (null when they agree or for a seller's one part). */
  progress: Progress | null;
  orderDate: string;
  estimatedDelivery: string;
  createdAt: string;
  updatedAt: string;
  sellerOrders: SellerOrderPart[];
  items: LineItem[];
  timeline: TimelineEntry[];
  /** Whether the viewer (the customer) may cancel what is left of the order now. */
  canCancel: boolean;
}

/**
 * A store's name by its key, as a scalar subquery. Joined instead, the planner merge-joined a
 * few parts with sellers read from the first store on (its statistics of seller_orders.seller_id
 * lagging behind new stores), so a part of store 9,990 read 9,990 index entries: a page of 50 such
 * orders took 87 ms instead of 1.6, one order view ~4 ms.
 */
export const storeNameOf = (sellerIdColumn: string) => `(select name from sellers where id = ${sellerIdColumn})`;

/** The viewer's store (a seller's), as a scalar subquery by the sellers' user_id index. */
export const storeIdOf = (sql: Db, viewer: Viewer) => sql`(select id from sellers where user_id = ${viewer.id})`;

/** Orders the viewer may see: their own (customer), those holding their products (seller), all (admin). */
export function orderScope(sql: Db, viewer: Viewer) {
  if (viewer.role === 'admin') return sql`true`;
  if (viewer.role === 'customer') return sql`o.customer_id = ${viewer.id}`;
  return sql`exists (select 1 from seller_orders so where so.order_id = o.id and ${partScope(sql, viewer, 'so.seller_id')})`;
}

/** Parts of an order the viewer may see: a seller sees only their own store's part. */
function partScope(sql: Db, viewer: Viewer, sellerIdColumn: string) {
  if (viewer.role !== 'seller') return sql`true`;
  return sql`${sql.unsafe(sellerIdColumn)} = ${storeIdOf(sql, viewer)}`;
}

/**
 * Who acted, as the viewer may know them: staff see account names; customers and sellers see a
 * seller as their store and an admin as support, never another person's account name.
 */
function actorName(sql: Db, viewer: Viewer) {
  if (viewer.role === 'admin') return sql`u.name`;
  return sql`case u.role when 'seller' then coalesce(s.name, 'The store') when 'admin' then 'Orderbell support' else u.name end`;
}

/** The lines of the store part `so`, read from `items` (the order_items table, or the placing statement's own rows). */
const itemsJson = (items = 'order_items') => `coalesce((select json_agg(json_build_object('productId', i.product_id, 'sellerId', i.seller_id, 'name', i.name,
  'price', i.price, 'quantity', i.quantity, 'subtotal', i.subtotal) order by i.id) from ${items} i
  where i.order_id = so.order_id and i.seller_id = so.seller_id), '[]')`;

/**
 * Where an order view is read from: the tables, or the statement that places an order, whose
 * CTEs return the rows they insert (`returning *`) under these names. One query text for both,
 * so the answer to POST /api/orders is exactly what GET /api/orders/:id shows.
 */
export interface OrderSources {
  orders: string;
  sellerOrders: string;
  items: string;
  events: string;
}
const TABLES: OrderSources = { orders: 'orders', sellerOrders: 'seller_orders', items: 'order_items', events: 'order_events' };

/** The select that reads an order as the viewer may see it (rows of OrderView before `finishOrderView`). */
export function orderViewSelect(sql: Db, viewer: Viewer, from: OrderSources, where: Fragment) {
  return sql<OrderView[]>`
    select o.id::int as id, o.order_number as "orderNumber", o.status,
      json_build_object('name', o.customer_name, 'email', o.customer_email, 'phone', o.customer_phone) as customer,
      o.delivery_address as "deliveryAddress", o.notes, o.payment_method as "paymentMethod", o.total_amount as "totalAmount",
      o.order_date as "orderDate", o.estimated_delivery as "estimatedDelivery", o.created_at as "createdAt", o.updated_at as "updatedAt",
      coalesce((select json_agg(json_build_object('id', so.id, 'sellerId', so.seller_id, 'storeName', so.store_name, 'status', so.status,
          'subtotal', so.subtotal, 'updatedAt', so.updated_at, 'items', ${sql.unsafe(itemsJson(from.items))}) order by so.store_name, so.id)
        from (select so.*, ${sql.unsafe(storeNameOf('so.seller_id'))} as store_name from ${sql.unsafe(from.sellerOrders)} so
          where so.order_id = o.id and ${partScope(sql, viewer, 'so.seller_id')}) so), '[]') as "sellerOrders",
      coalesce((select json_agg(json_build_object('type', e.type, 'status', e.to_status, 'from', e.from_status, 'note', e.note,
          'actor', case when u.id is null then null else json_build_object('name', ${actorName(sql, viewer)}, 'role', u.role) end,
          'storeName', s.name, 'at', e.created_at) order by e.id)
        from ${sql.unsafe(from.events)} e left join users u on u.id = e.actor_id
          left join ${sql.unsafe(from.sellerOrders)} so on so.id = e.seller_order_id left join lateral ${sql.unsafe(storeNameOf('so.seller_id'))} s on true
        where e.order_id = o.id and (e.seller_order_id is null or ${partScope(sql, viewer, 'so.seller_id')})), '[]') as timeline
    from ${sql.unsafe(from.orders)} o where ${where} and ${orderScope(sql, viewer)}`;
}

/** What the view adds to the rows: all items, a seller's own part standing for the order, and what the viewer may do. */
export function finishOrderView(order: OrderView, viewer: Viewer): OrderView {
  order.items = order.sellerOrders.flatMap((p) => p.items);
  if (viewer.role === 'seller') {
    // A seller sees their own part: its status and its total stand for the order's.
    const part = order.sellerOrders[0]!;
    order.status = part.status;
    order.totalAmount = part.subtotal;
  }
  order.amountDue = amountDue(order.sellerOrders);
  order.progress = progressOf(order.sellerOrders);
  for (const part of order.sellerOrders) part.actions = allowedFrom(part.status, actorOf(viewer.role));
  order.canCancel = viewer.role === 'customer' && customerCancelRefusal(order.sellerOrders) === null;
  return order;
}

/** One order as the viewer may see it, or NotFound (also for orders they may not know exist). */
export async function orderFor(sql: Db, viewer: Viewer, orderId: number): Promise<OrderView> {
  const [order] = await orderViewSelect(sql, viewer, TABLES, sql`o.id = ${orderId}`);
  if (!order) throw new NotFound('No such order.');
  return finishOrderView(order, viewer);
}

/** Every store's part of the order `o` (name, status, subtotal), for lists that summarise orders. */
export const partsJson = `coalesce((select json_agg(json_build_object('storeName', p.name, 'status', p.status, 'subtotal', p.subtotal) order by p.name, p.id)
  from (select so.id, so.status, so.subtotal, ${storeNameOf('so.seller_id')} as name
    from seller_orders so where so.order_id = o.id) p), '[]')`;

/** What a list row shows of an order's parts: the stores, what is due and the progress. */
export interface PartsSummary {
  parts: PartState[];
  stores: string[];
  amountDue: number;
  progress: Progress | null;
}

export const summarise = <T extends { parts: PartState[] }>(row: T): T & PartsSummary => ({
  ...row,
  stores: row.parts.map((p) => p.storeName),
  amountDue: amountDue(row.parts),
  progress: progressOf(row.parts),
});

export interface OrderSummary extends PartsSummary {
  id: number;
  orderNumber: string;
  status: Status;
  totalAmount: number;
  orderDate: string;
  itemCount: number;
}

/** Where a page sits in the whole list: rows `from` to `to` (counted from the newest) of `total`. */
export interface Position {
  from: number;
  to: number;
  total: number;
}

/** A page of a keyset list; K is the keyset's cursor (an id, or a string like the admin list's "total.id"). */
export interface Page<T, K = number> {
  rows: T[];
  /** The `cursor` of the next older page, if any. */
  nextCursor: K | null;
  /** The `before` of the next newer page, if any (lists that page both ways). */
  prevCursor?: K | null;
  position?: Position;
}

type Fragment = ReturnType<typeof orderScope>;

/**
 * Keyset paging by an id column, newest first, both ways. Reading newer rows (`before`) reads
 * them oldest first from the keyset and turns the page round, so each page is one index range.
 */
export function keyset(sql: Db, column: string, { cursor, before }: Pick<PageQuery, 'cursor' | 'before'>) {
  const col = sql.unsafe(column);
  if (before) return { range: sql`${col} > ${before}`, order: sql`${col} asc` };
  return { range: cursor ? sql`${col} < ${cursor}` : sql`true`, order: sql`${col} desc` };
}

export function paginate<T extends { id: number }>(rows: T[], { limit, cursor, before }: Pick<PageQuery, 'limit' | 'cursor' | 'before'>): Page<T> {
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (before) {
    page.reverse();
    return { rows: page, nextCursor: page.at(-1)?.id ?? null, prevCursor: more ? page[0]!.id : null };
  }
  return { rows: page, nextCursor: more ? page.at(-1)!.id : null, prevCursor: cursor && page.length ? page[0]!.id : null };
}

/** The page's place in the list, from a count of all its rows and of those newer than its first. */
export async function position<T extends { id: number }>(sql: Db, page: Page<T>, table: Fragment, column: string, where: Fragment): Promise<Page<T>> {
  const first = page.rows[0]?.id ?? 0;
  const [counts] = await sql<{ total: number; newer: number }[]>`
    select count(*)::int as total, count(*) filter (where ${sql.unsafe(column)} > ${first})::int as newer from ${table} where ${where}`;
  const newer = page.rows.length ? counts!.newer : 0;
  return { ...page, position: { from: newer + 1, to: newer + page.rows.length, total: counts!.total } };
}

/** The customer's own orders, newest first, by keyset on the order id. */
export async function customerOrders(sql: Db, viewer: Viewer, query: PageQuery): Promise<Page<OrderSummary>> {
  const { range, order } = keyset(sql, 'o.id', query);
  const rows = await sql<(Omit<OrderSummary, keyof PartsSummary> & { parts: PartState[] })[]>`
    select o.id::int as id, o.order_number as "orderNumber", o.status, o.total_amount as "totalAmount", o.order_date as "orderDate",
      (select sum(quantity)::int from order_items i where i.order_id = o.id) as "itemCount", ${sql.unsafe(partsJson)} as parts
    from orders o
    where o.customer_id = ${viewer.id} and ${range}
    order by ${order} limit ${query.limit + 1}`;
  return position(sql, paginate(rows.map(summarise), query), sql`orders o`, 'o.id', sql`o.customer_id = ${viewer.id}`);
}

/** The address the customer's last order went to, offered at checkout ('' before a first order). */
export async function lastDeliveryAddress(sql: Db, viewer: Viewer): Promise<string> {
  const [row] = await sql<{ address: string }[]>`
    select delivery_address as address from orders where customer_id = ${viewer.id} order by id desc limit 1`;
  return row?.address ?? '';
}

/** One store's part of an order with what the seller needs to fulfil it. */
export interface SellerOrderRow {
  id: number;
  sellerOrderId: number;
  orderNumber: string;
  status: Status;
  subtotal: number;
  orderDate: string;
  updatedAt: string;
  customer: { name: string; email: string; phone: string };
  deliveryAddress: string;
  notes: string;
  items: LineItem[];
  /** The statuses the seller may move it to now. */
  actions: Status[];
}

async function sellerRows(sql: Db, where: Fragment, limit: number, order = sql`so.order_id desc`): Promise<SellerOrderRow[]> {
  const rows = await sql<Omit<SellerOrderRow, 'actions'>[]>`
    select so.order_id::int as id, so.id::int as "sellerOrderId", o.order_number as "orderNumber", so.status, so.subtotal,
      o.order_date as "orderDate", so.updated_at as "updatedAt",
      json_build_object('name', o.customer_name, 'email', o.customer_email, 'phone', o.customer_phone) as customer,
      o.delivery_address as "deliveryAddress", o.notes, ${sql.unsafe(itemsJson())} as items
    from seller_orders so join orders o on o.id = so.order_id
    where ${where}
    order by ${order} limit ${limit}`;
  return rows.map((row) => ({ ...row, actions: allowedFrom(row.status, 'seller') }));
}

/** The seller's parts, optionally of one status. */
const sellerParts = (sql: Db, viewer: Viewer, status?: Status) =>
  sql`so.seller_id = ${storeIdOf(sql, viewer)} ${status ? sql`and so.status = ${status}` : sql``}`;

/** The seller's parts of orders, newest first, optionally of one status, by keyset on the order id. */
export async function sellerOrders(sql: Db, viewer: Viewer, query: PageQuery): Promise<Page<SellerOrderRow>> {
  const { range, order } = keyset(sql, 'so.order_id', query);
  return paginate(await sellerRows(sql, sql`${sellerParts(sql, viewer, query.status)} and ${range}`, query.limit + 1, order), query);
}

/**
 * The page's place among the seller's parts, from the status counts already read for the tabs
 * (the total), and a count of the parts newer than the page's first, which the first page
 * (neither cursor nor before) does not need: none are. A big store has tens of thousands of
 * parts; counting them all again per page cost as much as the rest of the page.
 */
export async function withSellerPosition(sql: Db, viewer: Viewer, query: PageQuery, page: Page<SellerOrderRow>, counts: Record<Status, number>): Promise<Page<SellerOrderRow>> {
  const total = query.status ? counts[query.status] : Object.values(counts).reduce((a, b) => a + b, 0);
  const first = page.rows[0]?.id;
  let newer = 0;
  if (first !== undefined && (query.cursor || query.before)) {
    [{ newer }] = await sql<[{ newer: number }]>`
      select count(*)::int as newer from seller_orders so where ${sellerParts(sql, viewer, query.status)} and so.order_id > ${first}`;
  }
  return { ...page, position: { from: newer + 1, to: newer + page.rows.length, total } };
}

/** One seller order row, only if it belongs to the viewer's store (for live updates and htmx swaps). */
export async function sellerOrderRow(sql: Db, viewer: Viewer, orderId: number): Promise<SellerOrderRow> {
  const [row] = await sellerRows(sql, sql`so.order_id = ${orderId} and ${sellerParts(sql, viewer)}`, 1);
  if (!row) throw new NotFound('No such order.');
  return row;
}

/** Each status's sum over rows with a column per status (the daily rollup's), as one JSON object. */
export const statusSumsJson = `json_build_object(${SELLER_ORDER_STATUSES.map((s) => `'${s}', coalesce(sum(${s}), 0)::int`).join(', ')})`;

/**
 * How many of the seller's parts are in each status, as a scalar subquery (a JSON object; read it
 * with `statusCounts`): summed from the stats' daily rollup (store_day_figures, decision 018),
 * which the order and status transactions keep current, so the cost follows the store's days, not
 * its parts (counting the bench's big store's 35,000 parts was most of /seller's time).
 */
export const statusCountsOf = (sql: Db, viewer: Viewer) => sql`
  (select ${sql.unsafe(statusSumsJson)} from store_day_figures where seller_id = ${storeIdOf(sql, viewer)})`;

/** Every status with its count, zero for those the store has none of. */
export const statusCounts = (found: Partial<Record<Status, number>>): Record<Status, number> => ({ pending: 0, confirmed: 0, shipped: 0, delivered: 0, cancelled: 0, ...found });
