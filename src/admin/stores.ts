import type { Db } from '../db/client.ts';
import { presenceFreshSeconds } from '../notifications/presence.ts';
import { keyset, paginate, position, type Page } from '../orders/queries.ts';
import type { StoresQuery } from './schemas.ts';
import { contains } from './service.ts';

/** One row of /admin/stores. */
export interface StoreRow {
  id: number;
  name: string;
  sellerName: string;
  sellerEmail: string;
  online: boolean;
  /** When the seller's last page closed, or their process last reported (ISO); null if never seen. */
  lastSeen: string | null;
  /** New orders nobody acknowledged, and how long the oldest has waited. */
  waiting: number;
  oldestSeconds: number | null;
}

const PAGE = 50;

/**
 * Every store with its seller, whether they are online now (a stream open on any process that has
 * reported within three heartbeats) or when they were last seen, and its new orders nobody has
 * acknowledged with the oldest one's age. Newest stores first, a page of 50 by keyset on the id,
 * so 10,000 stores cost one page's lookups (the unread index per seller, the small presence table).
 */
export async function storesPage(sql: Db, heartbeatSeconds: number, query: StoresQuery): Promise<Page<StoreRow>> {
  const fresh = presenceFreshSeconds(heartbeatSeconds);
  const from = sql`sellers s join users u on u.id = s.user_id
    left join lateral (
      select coalesce(sum(streams) filter (where streams > 0 and heartbeat_at > now() - make_interval(secs => ${fresh})), 0)::int as streams,
        max(heartbeat_at) as heartbeat
      from presence where user_id = u.id) p on true
    left join lateral (
      select count(*)::int as n, min(created_at) as oldest from notifications
      where recipient_id = u.id and read_at is null and type = 'order_notification') w on true`;
  const search = query.q
    ? sql`(lower(s.name) like ${contains(query.q)} or lower(u.name) like ${contains(query.q)} or lower(u.email) like ${contains(query.q)}
        or s.id::text = ${query.q.replace(/^#/, '')})`
    : sql`true`;
  const shown = query.show === 'online' ? sql`p.streams > 0` : query.show === 'waiting' ? sql`w.n > 0` : sql`true`;
  const where = sql`${search} and ${shown}`;
  const { range, order } = keyset(sql, 's.id', query);
  const rows = await sql<StoreRow[]>`
    select s.id, s.name, u.name as "sellerName", u.email as "sellerEmail", p.streams > 0 as online,
      to_char(greatest(u.last_seen_at, p.heartbeat) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "lastSeen",
      w.n as waiting, extract(epoch from now() - w.oldest)::float8 as "oldestSeconds"
    from ${from}
    where ${where} and ${range}
    order by ${order} limit ${PAGE + 1}`;
  return position(sql, paginate(rows, { ...query, limit: PAGE }), from, 's.id', where);
}
