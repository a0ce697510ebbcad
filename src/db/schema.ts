import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

export const ROLES = ['customer', 'seller', 'admin'] as const;
export type Role = (typeof ROLES)[number];
export const SELLER_ORDER_STATUSES = ['pending', 'confirmed', 'shipped', 'delivered', 'cancelled'] as const;
export type Status = (typeof SELLER_ORDER_STATUSES)[number];
// order_seen: the store opened the order (the customer's timeline shows it live).
// notifications_read: the recipient acknowledged (read) some of theirs on one tab or device; it
// reaches their other streams so that they stop alerting. It is written already read, about no
// order or one (drizzle/functions/orderbell_mark_read.sql).
export const NOTIFICATION_TYPES = ['order_notification', 'order_status_update', 'order_confirmed', 'order_seen', 'notifications_read'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];
export const PAYMENT_METHODS = ['cash_on_delivery'] as const;

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const createdAt = () => ts('created_at').notNull().defaultNow();
const inList = (column: string, values: readonly string[]) =>
  sql.raw(`${column} in (${values.map((v) => `'${v}'`).join(', ')})`);

export const users = pgTable(
  'users',
  {
    id: text('id').primaryKey(),
    role: text('role').$type<Role>().notNull(),
    name: text('name').notNull(),
    email: text('email').notNull(),
    phone: text('phone').notNull().default(''),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
    // When the user's last event stream closed (presence rows are deleted then): "last seen" on /admin/stores.
    lastSeenAt: ts('last_seen_at'),
  },
  (t) => [
    uniqueIndex('users_email_lower_idx').on(sql`lower(${t.email})`),
    check('users_role_check', inList('role', ROLES)),
  ],
);

export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts('expires_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

export const sellers = pgTable(
  'sellers',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    name: text('name').notNull(),
    notificationEmail: text('notification_email').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('sellers_user_idx').on(t.userId),
    // The admin's store search finds stores by the start of their name (src/admin/store-search.ts).
    index('sellers_name_lower_idx').on(sql`lower(${t.name}) text_pattern_ops`),
  ],
);

export const products = pgTable(
  'products',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    sellerId: integer('seller_id')
      .notNull()
      .references(() => sellers.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    price: integer('price').notNull(),
    stock: integer('stock').notNull(),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    index('products_seller_idx').on(t.sellerId),
    check('products_price_check', sql`${t.price} >= 0`),
    check('products_stock_check', sql`${t.stock} >= 0`),
  ],
);

export const cartItems = pgTable(
  'cart_items',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    quantity: integer('quantity').notNull(),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.productId] }), check('cart_items_quantity_check', sql`${t.quantity} > 0`)],
);

// Order numbers: a sequence scrambled by a multiplicative hash that is a bijection on 32 bits,
// so numbers are unique, short and do not reveal how many orders the shop takes.
export const orderNumberSeq = pgSequence('order_number_seq', { startWith: 1 });

export const orders = pgTable(
  'orders',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orderNumber: text('order_number')
      .notNull()
      .default(sql`'OB-' || upper(lpad(to_hex((nextval('order_number_seq') * 2654435761) % 4294967296), 8, '0'))`),
    customerId: text('customer_id')
      .notNull()
      .references(() => users.id),
    customerName: text('customer_name').notNull(),
    customerEmail: text('customer_email').notNull(),
    customerPhone: text('customer_phone').notNull(),
    deliveryAddress: text('delivery_address').notNull(),
    notes: text('notes').notNull().default(''),
    totalAmount: integer('total_amount').notNull(),
    paymentMethod: text('payment_method').notNull().default('cash_on_delivery'),
    status: text('status').$type<Status>().notNull().default('pending'),
    orderDate: ts('order_date').notNull().defaultNow(),
    estimatedDelivery: ts('estimated_delivery').notNull(),
    idempotencyKey: text('idempotency_key'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('orders_number_idx').on(t.orderNumber),
    uniqueIndex('orders_idempotency_idx').on(t.customerId, t.idempotencyKey),
    index('orders_customer_idx').on(t.customerId, t.id),
    index('orders_status_idx').on(t.status, t.id),
    index('orders_created_idx').on(t.createdAt),
    // The admin list sorted by total pages by (total, id).
    index('orders_total_idx').on(t.totalAmount, t.id),
    index('orders_email_idx').on(sql`lower(${t.customerEmail})`),
    index('orders_phone_idx').on(t.customerPhone),
    // Hand-written in drizzle/0006 (drizzle-kit cannot express them): the stored search_text column
    // with its trigram index for the admin search, and seller_orders (status, order_id).
    check('orders_total_check', sql`${t.totalAmount} >= 0`),
    check('orders_status_check', inList('status', SELLER_ORDER_STATUSES)),
    check('orders_payment_check', inList('payment_method', PAYMENT_METHODS)),
  ],
);

export const orderItems = pgTable(
  'order_items',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: bigint('order_id', { mode: 'number' })
      .notNull()
      .references(() => orders.id),
    productId: integer('product_id')
      .notNull()
      .references(() => products.id),
    sellerId: integer('seller_id')
      .notNull()
      .references(() => sellers.id),
    name: text('name').notNull(),
    price: integer('price').notNull(),
    quantity: integer('quantity').notNull(),
    subtotal: integer('subtotal').notNull(),
  },
  (t) => [
    index('order_items_order_idx').on(t.orderId),
    check('order_items_quantity_check', sql`${t.quantity} > 0`),
    check('order_items_price_check', sql`${t.price} >= 0`),
    check('order_items_subtotal_check', sql`${t.subtotal} >= 0`),
  ],
);

export const sellerOrders = pgTable(
  'seller_orders',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: bigint('order_id', { mode: 'number' })
      .notNull()
      .references(() => orders.id),
    sellerId: integer('seller_id')
      .notNull()
      .references(() => sellers.id),
    status: text('status').$type<Status>().notNull().default('pending'),
    subtotal: integer('subtotal').notNull(),
    // The user who made the last change; the notification triggers read it.
    changedBy: text('changed_by'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('seller_orders_order_seller_idx').on(t.orderId, t.sellerId),
    index('seller_orders_seller_idx').on(t.sellerId, t.orderId),
    index('seller_orders_seller_status_idx').on(t.sellerId, t.status, t.orderId),
    check('seller_orders_subtotal_check', sql`${t.subtotal} >= 0`),
    check('seller_orders_status_check', inList('status', SELLER_ORDER_STATUSES)),
  ],
);

export const orderEvents = pgTable(
  'order_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    orderId: bigint('order_id', { mode: 'number' })
      .notNull()
      .references(() => orders.id),
    sellerOrderId: bigint('seller_order_id', { mode: 'number' }).references(() => sellerOrders.id),
    actorId: text('actor_id').references(() => users.id),
    actorRole: text('actor_role').$type<Role>(),
    type: text('type').$type<'placed' | 'status_changed' | 'seen' | 'override'>().notNull(),
    fromStatus: text('from_status').$type<Status>(),
    toStatus: text('to_status').$type<Status>(),
    note: text('note').notNull().default(''),
    createdAt: createdAt(),
  },
  (t) => [
    index('order_events_order_idx').on(t.orderId, t.id),
    check('order_events_type_check', inList('type', ['placed', 'status_changed', 'seen', 'override'])),
  ],
);

/**
 * The admin stats' daily rollup (decision 018): per UTC day of the orders' placement and per store,
 * what that store's parts of those orders add up to. Kept current by triggers on seller_orders,
 * orders (created_at) and order_events (drizzle/functions/orderbell_store_day_*.sql), inside the
 * transactions that place orders and change statuses, so /admin/stats reads a few rows per store
 * and day instead of every part. One row per store and day: concurrent orders wait on each other's
 * row only when they share a store.
 */
export const storeDayFigures = pgTable(
  'store_day_figures',
  {
    day: date('day', { mode: 'string' }).notNull(),
    sellerId: integer('seller_id')
      .notNull()
      .references(() => sellers.id),
    /** The store's parts of orders placed that day. */
    parts: integer('parts').notNull(),
    /** Of those, the parts that are their order's first (lowest id): summed over stores, each order once. */
    orders: integer('orders').notNull(),
    /** Subtotals of the parts that are not cancelled. */
    revenue: bigint('revenue', { mode: 'number' }).notNull(),
    pending: integer('pending').notNull(),
    confirmed: integer('confirmed').notNull(),
    shipped: integer('shipped').notNull(),
    delivered: integer('delivered').notNull(),
    cancelled: integer('cancelled').notNull(),
    /** Parts with a 'confirmed' event: the rows of part_confirmations. */
    confirmations: integer('confirmations').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.sellerId] }), index('store_day_figures_seller_idx').on(t.sellerId, t.day)],
);

/**
 * Each part's first confirmation and its order's placement, so that the stats' median time to
 * confirm reads the chosen stores' rows only (decision 018). Written by the trigger on order_events.
 */
export const partConfirmations = pgTable(
  'part_confirmations',
  {
    sellerOrderId: bigint('seller_order_id', { mode: 'number' })
      .primaryKey()
      .references(() => sellerOrders.id),
    sellerId: integer('seller_id')
      .notNull()
      .references(() => sellers.id),
    placedAt: ts('placed_at').notNull(),
    confirmedAt: ts('confirmed_at').notNull(),
    // Kept by PostgreSQL, so the medians sort a stored number instead of computing it per row
    // (the stats' 20 stores: ~45 -> ~15 ms over the bench's 35,000 confirmations in 30 days).
    seconds: doublePrecision('seconds')
      .notNull()
      .generatedAlwaysAs(sql`extract(epoch from (confirmed_at - placed_at))::float8`),
  },
  // Medians read a store's range of placements and its seconds from the index alone.
  (t) => [index('part_confirmations_seller_idx').on(t.sellerId, t.placedAt, t.seconds)],
);

export const notifications = pgTable(
  'notifications',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    recipientId: text('recipient_id')
      .notNull()
      .references(() => users.id),
    type: text('type').$type<NotificationType>().notNull(),
    // Null only for a notifications_read covering several orders ("Mark all read").
    orderId: bigint('order_id', { mode: 'number' }).references(() => orders.id),
    sellerOrderId: bigint('seller_order_id', { mode: 'number' }).references(() => sellerOrders.id),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    readAt: ts('read_at'),
    deliveredAt: ts('delivered_at'),
    emailedAt: ts('emailed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    index('notifications_recipient_idx').on(t.recipientId, t.id),
    // The unread badge counts these on every page a seller or customer opens.
    index('notifications_unread_idx').on(t.recipientId, t.id).where(sql`${t.readAt} is null`),
    // The seller's unacknowledged new orders (badge, title, alerts) on every /seller page, counted
    // from the index alone; through the unread index each needed a heap read for its type.
    index('notifications_unacked_idx').on(t.recipientId).where(sql`${t.readAt} is null and ${t.type} = 'order_notification'`),
    // The email fallback's queue: unacknowledged new orders not yet emailed (delivery to a stream no
    // longer settles it, acknowledgement does: decision 015).
    index('notifications_unemailed_idx')
      .on(t.id)
      .where(sql`${t.type} = 'order_notification' and ${t.readAt} is null and ${t.emailedAt} is null`),
    // /admin/delivery reads the last 24 hours. Rows are appended in time order, so a BRIN index
    // finds them at almost no cost per insert (a btree would add work to every notifying commit).
    index('notifications_created_brin_idx').using('brin', t.createdAt),
    check('notifications_type_check', inList('type', NOTIFICATION_TYPES)),
    check('notifications_order_check', sql`${t.orderId} is not null or ${t.type} = 'notifications_read'`),
  ],
);

// Rate limits and login throttling: one row per counted attempt, so limits hold across processes.
export const rateLimitHits = pgTable(
  'rate_limit_hits',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    key: text('key').notNull(),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [index('rate_limit_hits_key_idx').on(t.key, t.at)],
);

export const presence = pgTable(
  'presence',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    processId: text('process_id').notNull(),
    streams: integer('streams').notNull(),
    heartbeatAt: ts('heartbeat_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.processId] })],
);

export const emailOutbox = pgTable(
  'email_outbox',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    notificationId: bigint('notification_id', { mode: 'number' }).references(() => notifications.id),
    to: text('to').notNull(),
    subject: text('subject').notNull(),
    body: text('body').notNull(),
    sentAt: ts('sent_at'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('email_outbox_notification_idx').on(t.notificationId)],
);
