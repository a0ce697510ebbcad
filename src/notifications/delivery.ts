import type { Db } from '../db/client.ts';

export const AUDIENCES = ['seller', 'customer', 'all'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** How notifications of the last 24 hours fared, for one audience (who they were for). */
export interface DeliveryFigures {
  audience: Audience;
  created: number;
  /** Written to an open stream at least once (notifications.delivered_at). */
  delivered: number;
  /** Read: the recipient opened the order or marked it read. */
  acknowledged: number;
  emailed: number;
  within1s: number;
  within10s: number;
  /** Commit-to-first-stream-write latency in ms over the delivered ones; null with none delivered. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface SlowStore {
  storeId: number;
  storeName: string;
  created: number;
  delivered: number;
  within10s: number;
  p50: number | null;
  p95: number | null;
}

export interface DeliveryHealth {
  /** The window's start, ISO (the database's clock). */
  since: string;
  figures: DeliveryFigures[];
  slowestStores: SlowStore[];
}

export const SLOW_STORE_ROWS = 10;

/**
 * Delivery over the last 24 hours, from the notifications table, so it holds whichever process
 * served the streams. Latency is from the notification's commit (created_at, written at commit
 * time) to its first write to a stream (delivered_at); a notification for someone with no page
 * open waits until they open one, and that wait counts. The window is found through a BRIN index.
 */
export async function deliveryHealth(sql: Db): Promise<DeliveryHealth> {
  const [row] = await sql<DeliveryHealth[]>`
    with recent as materialized (
      select n.recipient_id, n.read_at, n.emailed_at, n.delivered_at, u.role,
        -- greatest() skips nulls, so the undelivered are kept null explicitly.
        case when n.delivered_at is not null then greatest(0, extract(epoch from n.delivered_at - n.created_at) * 1000)::float8 end as ms
      from notifications n join users u on u.id = n.recipient_id
      -- An acknowledgement travelling to the seller's other tabs is no notification of its own.
      where n.created_at >= now() - interval '24 hours' and n.type <> 'notifications_read'
    ), figures as (
      select coalesce(role, 'all') as audience, count(*)::int as created, count(ms)::int as delivered,
        count(read_at)::int as acknowledged, count(emailed_at)::int as emailed,
        count(*) filter (where ms <= 1000)::int as "within1s", count(*) filter (where ms <= 10000)::int as "within10s",
        percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.95) within group (order by ms) as p95,
        percentile_cont(0.99) within group (order by ms) as p99
      from recent where role in ('seller', 'customer') group by rollup (role)
    ), stores as (
      select s.id as "storeId", s.name as "storeName", count(*)::int as created, count(ms)::int as delivered,
        count(*) filter (where ms <= 10000)::int as "within10s",
        percentile_cont(0.5) within group (order by ms) as p50, percentile_cont(0.95) within group (order by ms) as p95
      from recent r join sellers s on s.user_id = r.recipient_id where r.role = 'seller'
      group by s.id, s.name
    )
    select to_char((now() - interval '24 hours') at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as since,
      coalesce((select json_agg(f) from figures f), '[]') as figures,
      coalesce((select json_agg(s order by s.within10s::float8 / s.created, s.p95 desc nulls first, s."storeName")
        from (select * from stores order by within10s::float8 / created, p95 desc nulls first, "storeName" limit ${SLOW_STORE_ROWS}) s), '[]') as "slowestStores"`;
  const byAudience = new Map(row!.figures.map((f) => [f.audience, f]));
  const empty = (audience: Audience): DeliveryFigures => ({ audience, created: 0, delivered: 0, acknowledged: 0, emailed: 0, within1s: 0, within10s: 0, p50: null, p95: null, p99: null });
  return { ...row!, figures: AUDIENCES.map((a) => byAudience.get(a) ?? empty(a)) };
}
