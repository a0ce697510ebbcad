import type { Db } from '../db/client.ts';
import type { Status } from '../db/schema.ts';
import { partsJson, summarise, type Page, type PartsSummary } from '../orders/queries.ts';
import type { ListFilters } from './schemas.ts';

export const ADMIN_PAGE_SIZE = 50;

export interface AdminOrderRow extends PartsSummary {
  id: number;
  orderNumber: string;
  status: Status;
  totalAmount: number;
  orderDate: string;
  customerName: string;
  customerEmail: string;
  customerPhone: string;
  deliveryAddress: string;
}

export type AdminPage = Page<AdminOrderRow, string>;

/** A search word as a LIKE pattern for "contains", with LIKE's own wildcards taken literally. */
export const contains = (word: string) => `%${word.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * The WHERE clause of the filters. Each filter can use an index: store and status through
 * seller_orders ((seller, status, order) and (status, order)), dates (created_at), and the search
 * through the trigram index on orders.search_text (drizzle/0006): every word must appear somewhere
 * in the order number, name, email, phone (as typed or as digits) or address.
 * The status filter looks at store parts, as the sellers' tabs do: with a store, that store's
 * part; without one, any part of the order.
 */
function where(sql: Db, f: ListFilters) {
  const parts = [sql`true`];
  if (f.store || f.status) parts.push(sql`o.id in (select order_id from seller_orders where ${partsWhere(sql, f)})`);
  if (f.from) parts.push(sql`o.created_at >= ${f.from}::date::timestamp at time zone 'UTC'`);
  if (f.to) parts.push(sql`o.created_at < (${f.to}::date + 1)::timestamp at time zone 'UTC'`);
  for (const word of f.q?.split(/\s+/).filter(Boolean) ?? []) {
    parts.push(sql`o.search_text like ${contains(word)}`);
  }
  return parts.reduce((a, b) => sql`${a} and ${b}`);
}

/** A row's keyset cursor under a sort: its id, or "total.id" when sorting by total. */
const keyOf = (f: ListFilters, row: Pick<AdminOrderRow, 'id' | 'totalAmount'>) => (f.sort === 'total' ? `${row.totalAmount}.${row.id}` : String(row.id));

/**
 * Sorting with its keyset: the total sort pages by (total, id), served by orders_total_idx, the
 * others by id. `cursor` reads the rows after the key in the sort's order; `before` reads the rows
 * ahead of it walking away from the key (so each page is one index range) and the page is turned
 * round afterwards. `ahead` picks the rows that come before a key in the sort's order (the rank).
 */
function ordering(sql: Db, f: ListFilters) {
  const total = f.sort === 'total';
  const column = total ? sql`(o.total_amount, o.id)` : sql`o.id`;
  const value = (key: string) => {
    const [first, second] = key.split('.').map(Number);
    return total ? sql`(${first!}, ${second!})` : sql`${first!}`;
  };
  const descending = f.sort !== 'oldest';
  const down = descending !== Boolean(f.before);
  const dir = down ? sql`desc` : sql`asc`;
  const mark = f.cursor ?? f.before;
  return {
    after: mark ? sql`${column} ${down ? sql`<` : sql`>`} ${value(mark)}` : sql`true`,
    by: total ? sql`o.total_amount ${dir}, o.id ${dir}` : sql`o.id ${dir}`,
    ahead: (key: string) => sql`${column} ${descending ? sql`>` : sql`<`} ${value(key)}`,
  };
}

type AdminRecord = Omit<AdminOrderRow, keyof PartsSummary> & Pick<PartsSummary, 'parts'>;

function filtered(sql: Db, f: ListFilters, limit?: number) {
  const { after, by } = ordering(sql, f);
  return sql<AdminRecord[]>`
    select o.id::int as id, o.order_number as "orderNumber", o.status, o.total_amount as "totalAmount", o.order_date as "orderDate",
      o.customer_name as "customerName", o.customer_email as "customerEmail", o.customer_phone as "customerPhone",
      o.delivery_address as "deliveryAddress", ${sql.unsafe(partsJson)} as parts
    from orders o
    where ${where(sql, f)} and ${after}
    order by ${by} ${limit ? sql`limit ${limit}` : sql``}`;
}

/**
 * Filters on store parts only (store, status, no search or dates): their counts read seller_orders
 * alone, index-only by (seller_id, status, order_id) or (status, order_id), counting each order
 * once. Through orders, a status across all stores joined every matching order (the bench's
 * "delivered": 70,000 orders, the page's whole time).
 */
const partsOnly = (f: ListFilters) => Boolean(f.store || f.status) && !f.q && !f.from && !f.to;

function partsWhere(sql: Db, f: ListFilters) {
  return sql`${f.store ? sql`seller_id = ${f.store}` : sql`true`} and ${f.status ? sql`status = ${f.status}` : sql`true`}`;
}

/**
 * How many orders match, for "Orders X–Y of N". Without a search, and with a status only together
 * with a store, the daily rollup answers exactly (decision 018: its days are the same UTC days as
 * the date filters; a store's orders are its parts), reading a row per store and day instead of
 * every order. A status across all stores ("any part") counts its orders in seller_orders; a
 * search counts the matches.
 */
async function countAll(sql: Db, f: ListFilters): Promise<number> {
  if (f.status && !f.store && partsOnly(f)) {
    const [row] = await sql<{ n: number }[]>`select count(distinct order_id)::int as n from seller_orders where ${partsWhere(sql, f)}`;
    return row!.n;
  }
  if (f.q || (f.status && !f.store)) {
    const [row] = await sql<{ n: number }[]>`select count(*)::int as n from orders o where ${where(sql, f)}`;
    return row!.n;
  }
  const column = sql(f.store ? (f.status ?? 'parts') : 'orders');
  const [row] = await sql<{ n: number }[]>`
    select coalesce(sum(${column}), 0)::int as n from store_day_figures
    where ${f.store ? sql`seller_id = ${f.store}` : sql`true`}
      and ${f.from ? sql`day >= ${f.from}::date` : sql`true`} and ${f.to ? sql`day <= ${f.to}::date` : sql`true`}`;
  return row!.n;
}

/**
 * How many matching orders come before a page (only asked past the first page). Its cost grows
 * with that number, not with the orders in all: by store and status alone, an index-only range
 * of seller_orders; otherwise the orders ahead in the sort.
 */
async function countAhead(sql: Db, f: ListFilters, key: string): Promise<number> {
  if (partsOnly(f) && f.sort !== 'total') {
    const [row] = await sql<{ n: number }[]>`
      select count(distinct order_id)::int as n from seller_orders
      where ${partsWhere(sql, f)} and order_id ${f.sort === 'oldest' ? sql`<` : sql`>`} ${Number(key)}`;
    return row!.n;
  }
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from orders o where ${where(sql, f)} and ${ordering(sql, f).ahead(key)}`;
  return row!.n;
}

/** One page of the admin's order list (admins see every order), both ways, with its position. */
export async function adminOrders(sql: Db, f: ListFilters): Promise<AdminPage> {
  const rows = (await filtered(sql, f, ADMIN_PAGE_SIZE + 1)).map(summarise);
  const more = rows.length > ADMIN_PAGE_SIZE;
  const page = rows.slice(0, ADMIN_PAGE_SIZE);
  if (f.before) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  // Reading newer rows, "more" means a newer page still; reading older ones, an older page.
  const newer = f.before ? more : Boolean(f.cursor);
  const older = f.before ? true : more;
  const [total, ahead] = await Promise.all([countAll(sql, f), first && (f.cursor || f.before) ? countAhead(sql, f, keyOf(f, first)) : 0]);
  return {
    rows: page,
    nextCursor: older && last ? keyOf(f, last) : null,
    prevCursor: newer && first ? keyOf(f, first) : null,
    position: { from: ahead + 1, to: ahead + page.length, total },
  };
}

/** Every order matching the filters, read in batches so a large export never sits in memory. */
export async function* allFilteredOrders(sql: Db, f: ListFilters): AsyncGenerator<AdminOrderRow[]> {
  for await (const batch of filtered(sql, { ...f, cursor: undefined, before: undefined }).cursor(500)) yield batch.map(summarise);
}

export interface OutboxRow {
  id: number;
  to: string;
  subject: string;
  body: string;
  sentAt: string | null;
  createdAt: string;
}

/** Emails queued for sellers who missed a notification, newest first. */
export async function outbox(sql: Db, cursor?: number): Promise<Page<OutboxRow>> {
  const rows = await sql<OutboxRow[]>`
    select id::int as id, "to", subject, body, sent_at as "sentAt", created_at as "createdAt" from email_outbox
    where ${cursor ? sql`id < ${cursor}` : sql`true`} order by id desc limit ${ADMIN_PAGE_SIZE + 1}`;
  const more = rows.length > ADMIN_PAGE_SIZE;
  const page = rows.slice(0, ADMIN_PAGE_SIZE);
  return { rows: page, nextCursor: more ? page.at(-1)!.id : null };
}
