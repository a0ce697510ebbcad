import type { Db } from '../db/client.ts';
import { SELLER_ORDER_STATUSES, type Status } from '../db/schema.ts';
import { Invalid } from '../http/errors.ts';
import { secondsToConfirm } from '../orders/figures.ts';
import type { StatsFilters } from './schemas.ts';

export interface DayFigures {
  day: string;
  orders: number;
  revenue: number;
}
export interface StoreFigures {
  storeId: number;
  storeName: string;
  /** Store orders: this store's parts of orders. */
  orders: number;
  revenue: number;
}
export interface ConfirmTime {
  storeId: number;
  storeName: string;
  medianSeconds: number;
  confirmed: number;
}
export interface Store {
  id: number;
  name: string;
}
export interface Stats {
  from: string;
  to: string;
  store: Store | null;
  /** Orders placed in the range (with a store chosen: those holding a part of that store). */
  orders: number;
  /** Store orders: one per store in an order, so a two-store order counts twice here. */
  storeOrders: number;
  revenue: number;
  /** Every day of the range, oldest first. */
  days: DayFigures[];
  /** Store orders by their own status; they add up to `storeOrders`. */
  statuses: Record<Status, number>;
  /** The stores with the most revenue, at most STORE_ROWS; `otherStores` holds the rest, so rows add up. */
  stores: StoreFigures[];
  otherStores: { stores: number; orders: number; revenue: number } | null;
  /** The stores that confirmed the most parts, at most STORE_ROWS. */
  confirmTimes: ConfirmTime[];
}

/** Bounded, so the page stays small with 10,000 stores. */
export const STORE_ROWS = 20;

/**
 * The store a stats form names: its number (#12 or 12), its exact name, or the one store whose name
 * starts with the text. Anything else is a field message listing a few matches, never a long list.
 */
export async function findStore(sql: Db, text: string): Promise<Store> {
  const number = /^#?(\d{1,9})$/.exec(text)?.[1];
  const rows = number
    ? await sql<Store[]>`select id, name from sellers where id = ${Number(number)}`
    : await sql<Store[]>`
        select id, name from sellers
        where lower(name) = lower(${text}) or lower(name) like lower(${text.replace(/[\\%_]/g, '\\$&')}) || '%'
        order by lower(name) = lower(${text}) desc, name, id limit 6`;
  const exact = rows.filter((s) => s.name.toLowerCase() === text.toLowerCase());
  if (rows.length === 1 || exact.length === 1) return exact[0] ?? rows[0]!;
  if (!rows.length) throw new Invalid('Please correct the highlighted fields.', { store: `No store is called “${text}” or has that number.` });
  const listed = rows.slice(0, 5).map((s) => `${s.name} (#${s.id})`).join(', ');
  throw new Invalid('Please correct the highlighted fields.', {
    store: `Several stores match: ${listed}${rows.length > 5 ? ', …' : ''}. Type more of the name or the store's number.`,
  });
}

/**
 * The admin's figures for a range of UTC days and optionally one store, in one query over the
 * parts of the orders placed in the range (orders_created_idx, or the store's own parts with
 * seller_orders_seller_idx). Revenue counts the parts that are not cancelled, so a half-cancelled
 * order contributes only what will still be delivered.
 */
export async function stats(sql: Db, filters: Omit<StatsFilters, 'store'>, store: Store | null): Promise<Stats> {
  const [row] = await sql<(Omit<Stats, 'from' | 'to' | 'store' | 'statuses'> & { statuses: { status: Status; n: number }[] | null })[]>`
    with parts as materialized (
      select so.order_id, so.seller_id, so.status, so.subtotal, (o.created_at at time zone 'UTC')::date as day,
        ${secondsToConfirm(sql)} as seconds
      from orders o join seller_orders so on so.order_id = o.id
      where o.created_at >= ${filters.from}::date::timestamp at time zone 'UTC'
        and o.created_at < (${filters.to}::date + 1)::timestamp at time zone 'UTC'
        ${store ? sql`and so.seller_id = ${store.id}` : sql``}
    ), per_store as (
      select seller_id, count(*)::int as orders, coalesce(sum(subtotal) filter (where status <> 'cancelled'), 0)::float8 as revenue,
        row_number() over (order by coalesce(sum(subtotal) filter (where status <> 'cancelled'), 0) desc, count(*) desc, seller_id) as rank
      from parts group by seller_id
    ), per_day as (
      select day, count(distinct order_id)::int as orders, coalesce(sum(subtotal) filter (where status <> 'cancelled'), 0)::float8 as revenue
      from parts group by day
    ), confirm as (
      select seller_id, count(seconds)::int as confirmed, percentile_cont(0.5) within group (order by seconds)::float8 as median
      from parts where seconds is not null group by seller_id order by count(seconds) desc, seller_id limit ${STORE_ROWS}
    )
    select
      (select count(distinct order_id)::int from parts) as orders,
      (select count(*)::int from parts) as "storeOrders",
      (select coalesce(sum(subtotal) filter (where status <> 'cancelled'), 0)::float8 from parts) as revenue,
      (select json_agg(json_build_object('day', to_char(d.day, 'YYYY-MM-DD'), 'orders', coalesce(p.orders, 0), 'revenue', coalesce(p.revenue, 0)) order by d.day)
        from generate_series(${filters.from}::date, ${filters.to}::date, interval '1 day') d(day) left join per_day p on p.day = d.day) as days,
      (select json_agg(json_build_object('status', status, 'n', n)) from (select status, count(*)::int as n from parts group by status) s) as statuses,
      coalesce((select json_agg(json_build_object('storeId', s.id, 'storeName', s.name, 'orders', p.orders, 'revenue', p.revenue) order by p.rank)
        from per_store p join sellers s on s.id = p.seller_id where p.rank <= ${STORE_ROWS}), '[]') as stores,
      (select json_build_object('stores', count(*)::int, 'orders', sum(orders)::int, 'revenue', sum(revenue))
        from per_store where rank > ${STORE_ROWS} having count(*) > 0) as "otherStores",
      coalesce((select json_agg(json_build_object('storeId', s.id, 'storeName', s.name, 'medianSeconds', c.median, 'confirmed', c.confirmed)
          order by c.confirmed desc, s.name)
        from confirm c join sellers s on s.id = c.seller_id), '[]') as "confirmTimes"`;
  const statuses = Object.fromEntries(SELLER_ORDER_STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const r of row!.statuses ?? []) statuses[r.status] = r.n;
  return { ...row!, from: filters.from, to: filters.to, store, statuses };
}
