import type { Db } from '../db/client.ts';
import type { NotificationType } from '../db/schema.ts';

/** One stored notification, as streams send it. */
export interface Notice {
  id: number;
  recipientId: string;
  type: NotificationType;
  /** Null only for a notifications_read covering several orders. */
  orderId: number | null;
  sellerOrderId: number | null;
  payload: Record<string, unknown>;
  createdAt: Date;
  readAt: Date | null;
}

type Row = Omit<Notice, 'createdAt' | 'readAt'> & { createdAt: string | Date; readAt: string | Date | null };
// drizzle's driver setup leaves timestamps as text on this connection; notices carry Dates.
const toNotices = (rows: Row[]): Notice[] =>
  rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt), readAt: r.readAt === null ? null : new Date(r.readAt) }));

// Ids are bigint; float8 keeps them numbers (exact far beyond any realistic count).
const columns = (sql: Db) => sql`
  n.id::float8 as id, n.recipient_id as "recipientId", n.type, n.order_id::float8 as "orderId",
  n.seller_order_id::float8 as "sellerOrderId", n.payload, n.created_at as "createdAt", n.read_at as "readAt"`;

/** The recipient's notifications after `after`, oldest first (a stream's backlog, a page at a time). */
export const noticesAfter = (sql: Db, recipientId: string, after: number, limit: number) =>
  sql<Row[]>`select ${columns(sql)} from notifications n
    where n.recipient_id = ${recipientId} and n.id > ${after} order by n.id limit ${limit}`.then(toNotices);

/** The newest id the recipient has, so a stream opened without a cursor starts from now. */
export async function latestId(sql: Db, recipientId: string): Promise<number> {
  const [row] = await sql<{ id: number }[]>`
    select coalesce(max(id), 0)::float8 as id from notifications where recipient_id = ${recipientId}`;
  return row!.id;
}

/** The rows behind a batch of NOTIFY ids, in one query. */
export const noticesByIds = (sql: Db, ids: number[]) =>
  sql<Row[]>`select ${columns(sql)} from notifications n where n.id = any(${ids}::bigint[]) order by n.id`.then(toNotices);

/** For each recipient, everything after its cursor: the catch-up after the LISTEN connection returns. */
export const noticesSince = (sql: Db, cursors: Map<string, number>) =>
  sql<Row[]>`select ${columns(sql)} from notifications n
    join unnest(${[...cursors.keys()]}::text[], ${[...cursors.values()]}::bigint[]) c(recipient, after)
      on n.recipient_id = c.recipient and n.id > c.after
    order by n.id`.then(toNotices);

/**
 * Written to an open stream (id -> when, in this process's ms): the email fallback leaves these
 * alone. Only the first delivery is kept. The time is stored as the database's now() less how
 * long ago the write was, so that it is on the same clock as created_at (set by the database)
 * even when the app's clock differs, and the commit-to-stream latency stays exact.
 */
export function markDelivered(sql: Db, written: Map<number, number>) {
  const sentAt = Date.now();
  const ids = [...written.keys()];
  const ages = [...written.values()].map((at) => Math.max(0, sentAt - at));
  return sql`update notifications n set delivered_at = now() - d.age * interval '1 millisecond'
    from unnest(${ids}::bigint[], ${ages}::int[]) d(id, age)
    where n.id = d.id and n.delivered_at is null`;
}

/**
 * Marks the reader's own notifications up to `upTo` (all without it) read; returns how many changed.
 * A seller's other tabs and devices hear it as a notifications_read (drizzle/functions/orderbell_mark_read.sql).
 */
export async function markRead(sql: Db, recipientId: string, upTo: number | undefined): Promise<number> {
  const [row] = await sql<{ marked: number }[]>`select orderbell_mark_read(${recipientId}, ${upTo ?? null}::bigint, null) as marked`;
  return row!.marked;
}

/** Marks the reader's own notifications about one order read (they opened it); returns how many changed. */
export async function markOrderRead(sql: Db, recipientId: string, orderId: number): Promise<number> {
  const [row] = await sql<{ marked: number }[]>`select orderbell_mark_read(${recipientId}, null, ${orderId}::bigint) as marked`;
  return row!.marked;
}

/** The recipient's unread notifications, for the badge. */
export const unreadCount = async (sql: Db, recipientId: string) =>
  (await sql<{ n: number }[]>`select count(*)::int as n from notifications where recipient_id = ${recipientId} and read_at is null`)[0]!.n;
