import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Db } from '../../src/db/client.ts';
import type { Client } from './http.ts';
import { openLoop, placeOverHttp, type PlacedOrder } from './load.ts';
import { sleep } from './progress.ts';
import type { Customer, Store } from './seed.ts';
import type { StreamPool } from './sse.ts';
import { summarize } from './stats.ts';

/** How long to wait after the last order for its notifications before counting the rest as lost. */
const SETTLE_MS = 5_000;

/**
 * Places orders at a steady `rate` through `orders` (products of `stores` only, whose sellers
 * have streams in `pool`) and measures each notification's arrival: from the order's commit
 * (pg_xact_commit_timestamp of its row, with track_commit_timestamp on), from the order's own
 * `createdAt` (the placing transaction's now(), earlier than the commit by the transaction's
 * length) and from the moment the POST's response arrived (negative when the notification beat
 * the response). Lost = notification rows of the stream's user that the
 * stream never got; duplicates = ids a stream got twice.
 */
export async function measureLatency(o: { sql: Db; pool: Pick<StreamPool, 'arrivals' | 'recording' | 'duplicates' | 'ended' | 'lost'>; orders: Client; customers: Customer[]; stores: Store[]; rate: number; seconds: number }) {
  const [{ start }] = await o.sql<[{ start: string }]>`select coalesce(max(id), 0)::bigint as start from notifications`;
  o.pool.arrivals = [];
  o.pool.recording = true;
  const duplicates0 = o.pool.duplicates;
  const ended0 = o.pool.ended;
  const clientLag = monitorEventLoopDelay({ resolution: 10 });
  clientLag.enable();
  const run = await openLoop(() => placeOverHttp(o.orders, o.customers, o.stores), o.rate, o.seconds);
  const expected = await o.sql<{ id: number; recipientId: string }[]>`
    select id::int as id, recipient_id as "recipientId" from notifications where id > ${start} and type = 'order_notification'`;
  const settleStart = performance.now();
  let missing = o.pool.lost(expected);
  while (missing.lost > 0 && performance.now() - settleStart < SETTLE_MS) {
    await sleep(100);
    missing = o.pool.lost(expected);
  }
  o.pool.recording = false;
  clientLag.disable();
  const placed = new Map<number, PlacedOrder>(run.results.map((r) => [r.id, r]));
  const commits = await o.sql<{ id: number; at: number }[]>`
    select id::int as id, extract(epoch from pg_xact_commit_timestamp(xmin))::float8 * 1000 as at from orders where id = any(${[...placed.keys()]}::bigint[])`;
  const committedAt = new Map(commits.map((c) => [c.id, c.at]));
  const fromCommit: number[] = [];
  const fromCreatedAt: number[] = [];
  const fromResponse: number[] = [];
  for (const a of o.pool.arrivals) {
    const p = placed.get(a.orderId);
    const committed = committedAt.get(a.orderId);
    if (!p) continue;
    if (committed) fromCommit.push(a.at - committed);
    fromCreatedAt.push(a.at - p.createdAt);
    fromResponse.push(a.at - p.respondedAt);
  }
  return {
    rate: o.rate,
    achievedPerSecond: run.achievedPerSecond,
    ordersPlaced: run.results.length,
    ordersFailed: run.failed,
    ordersDropped: run.dropped,
    firstError: run.firstError,
    postResponse: run.latency,
    notificationsDue: missing.due,
    received: o.pool.arrivals.length,
    lost: missing.lost,
    duplicates: o.pool.duplicates - duplicates0,
    streamsEnded: o.pool.ended - ended0,
    fromCommit: summarize(fromCommit),
    fromCreatedAt: summarize(fromCreatedAt),
    fromResponse: summarize(fromResponse),
    /** The bench process's own event-loop delay: it inflates the figures above by up to this much. */
    clientEventLoopP99: Math.round(clientLag.percentile(99) / 1e4) / 100,
  };
}
