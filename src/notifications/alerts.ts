import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';

/** The settings public/app.js reads from the page's live element (`#seller-live`). */
export interface AlertSettings {
  repeatSeconds: number;
  /** Hidden or disconnected at least this long: sum up what arrived meanwhile. */
  awaySeconds: number;
  unacked: number;
}

export interface AwayOrder {
  orderId: number;
  orderNumber: string;
  customerName: string;
  subtotal: number;
}

export interface AwaySummaryData {
  orders: AwayOrder[];
  /** All of them, of which `orders` are the newest. */
  total: number;
  amount: number;
}

/** Orders the summary links to; the rest are counted and summed. */
const AWAY_LINKS = 10;

/** New orders the seller has not acknowledged (opened, confirmed, marked read): what keeps alerting. */
export async function unacknowledged(sql: Db, userId: string): Promise<number> {
  const [row] = await sql<{ n: number }[]>`select count(*)::int as n from notifications
    where recipient_id = ${userId} and read_at is null and type = 'order_notification'`;
  return row!.n;
}

/** What public/app.js needs to alert until acknowledged and to sum up an absence (views/alerts.tsx). */
export const alertSettings = async (sql: Db, config: Config, userId: string): Promise<AlertSettings> => ({
  repeatSeconds: config.ALERT_REPEAT_SECONDS,
  awaySeconds: config.AWAY_SUMMARY_SECONDS,
  unacked: await unacknowledged(sql, userId),
});

/**
 * The seller's new orders after notification `after` (the newest one the page had when it went
 * away): how many, their total for this store, the newest few. From the notifications' payloads,
 * which hold the order number, customer and this store's subtotal as they were when placed.
 */
export async function awaySummary(sql: Db, userId: string, after: number): Promise<AwaySummaryData> {
  const rows = await sql<{ orderId: number; orderNumber: string; customerName: string; subtotal: number; total: number; amount: number }[]>`
    select n.order_id::float8 as "orderId", n.payload->>'orderNumber' as "orderNumber", n.payload->>'customerName' as "customerName",
      coalesce((n.payload->>'subtotal')::int, 0) as subtotal,
      count(*) over ()::int as total, coalesce(sum((n.payload->>'subtotal')::int) over (), 0)::float8 as amount
    from notifications n
    where n.recipient_id = ${userId} and n.type = 'order_notification' and n.id > ${after}
    order by n.id desc limit ${AWAY_LINKS}`;
  return {
    orders: rows.map(({ orderId, orderNumber, customerName, subtotal }) => ({ orderId, orderNumber, customerName, subtotal })),
    total: rows[0]?.total ?? 0,
    amount: rows[0]?.amount ?? 0,
  };
}
