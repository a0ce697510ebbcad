import type { Bench } from '../lib/context.ts';
import { bulkOrders } from '../lib/bulk-orders.ts';
import { client } from '../lib/http.ts';
import { closedLoop, type LoadResult } from '../lib/load.ts';
import { cpuMeter } from '../lib/proc.ts';
import { phase } from '../lib/progress.ts';

/** Pages measured one request at a time (server time) and then with this many in flight (pages/s). */
const PARALLEL = 8;

/** What a page must reach: p99 one at a time, and pages/s with PARALLEL in flight. */
export interface PageTarget {
  p99Ms?: number;
  perSecond?: number;
}

interface PageFigure {
  path: string;
  target?: PageTarget;
  status: number;
  bytes?: number;
  oneAtATime?: LoadResult;
  parallel?: LoadResult & { cpu: ReturnType<ReturnType<typeof cpuMeter>> };
  note?: string;
}

/**
 * Scenario 5: with `pageOrders` orders in the database, the seller dashboard (first page and a
 * deep keyset page) of the biggest store, the admin order list with filters and searches, and the stats.
 * A page that answers 404 is reported as not built rather than failing the run.
 */
export async function pages({ db, app, world, settings: s }: Bench) {
  const [{ placed }] = await db.db.sql<[{ placed: number }]>`select count(*)::int as placed from orders`;
  const missing = Math.max(0, s.pageOrders - placed);
  phase(`pages: bulk-loading ${missing.toLocaleString('en-US')} orders (${placed.toLocaleString('en-US')} placed by earlier scenarios)`);
  const t = performance.now();
  await bulkOrders(db.db.sql, missing);
  const loadSeconds = Math.round((performance.now() - t) / 100) / 10;
  const sql = db.db.sql;
  const [{ orders, parts }] = await sql<[{ orders: number; parts: number }]>`
    select (select count(*)::int from orders) as orders, (select count(*)::int from seller_orders where seller_id = 1) as parts`;
  const [deep] = await sql<{ cursor: number }[]>`
    select order_id::int as cursor from seller_orders where seller_id = 1 order by order_id desc offset ${Math.floor(parts / 2)} limit 1`;
  // Admin search (trigram index, drizzle/0006): part of one order number, a rare address, part of an
  // email a few dozen orders share, phone digits every bulk order shares, and a status any part may have.
  const [{ number }] = await sql<[{ number: string }]>`select order_number as number from orders order by id desc offset ${Math.floor(orders / 3)} limit 1`;
  // The admin list's first and a deep page, all orders and the big store's (the store filter by its
  // number, as the store search's links give it); the deep pages sit halfway down.
  const [{ middle }] = await sql<[{ middle: number }]>`select id::int as middle from orders order by id desc offset ${Math.floor(orders / 2)} limit 1`;
  const seller = world.stores[0]!.token;
  const admin = world.admin.token;
  const list = { p99Ms: 20 };
  const search = { p99Ms: 50 };
  const targets: [string, string, PageTarget?][] = [
    // Issue 16: the dashboard at 100,000 orders, p99 under 20 ms and 1,500 pages/s with 8 in flight.
    ['/seller', seller, { p99Ms: 20, perSecond: 1500 }],
    [`/seller?cursor=${deep?.cursor ?? 1}`, seller, { p99Ms: 20 }],
    ['/admin/orders', admin, list],
    [`/admin/orders?cursor=${middle}`, admin, list],
    ['/admin/orders?store=1', admin, list],
    [`/admin/orders?store=1&cursor=${deep?.cursor ?? 1}`, admin, list],
    ['/admin/orders?status=pending', admin, search],
    ['/admin/orders?status=delivered', admin, search],
    [`/admin/orders?q=${number.slice(4, 10).toLowerCase()}`, admin, search],
    [`/admin/orders?q=${Math.floor(orders / 2)}%20bulk%20road`, admin, search],
    ['/admin/orders?q=customer17%40', admin, search],
    ['/admin/orders?q=5550001', admin, search],
    // The store search as typed: "Store 12" starts the names of 111 of the 10,000 stores.
    ['/admin/store-matches?store=Store%2012', admin],
    ['/admin/stats', admin, { p99Ms: 50 }],
    ['/admin/delivery', admin],
    // Not a page: the HTTP ceiling of this machine (an answer with no query and no HTML), the
    // bound under every page's pages/s.
    ['/healthz', admin],
  ];
  const http = client(app.base, PARALLEL);
  const figures: PageFigure[] = [];
  try {
    for (const [path, token, target] of targets) {
      const probe = await http.send('GET', path, token);
      if (probe.status !== 200) {
        const note = probe.status === 404 ? 'not built yet (404)' : `answered ${probe.status}`;
        phase(`  ${path}: ${note}, skipped`);
        figures.push({ path, target, status: probe.status, note });
        continue;
      }
      const get = async () => {
        const r = await http.send('GET', path, token);
        if (r.status !== 200) throw new Error(`${path} answered ${r.status}`);
      };
      await closedLoop(get, 1, Math.min(1, s.pageSeconds / 2));
      const oneAtATime = await closedLoop(get, 1, s.pageSeconds);
      const meter = cpuMeter(app.pid, db.dataDir);
      const parallel = { ...(await closedLoop(get, PARALLEL, s.pageSeconds)), cpu: meter() };
      phase(`  ${path}: p50 ${oneAtATime.latency.p50} ms, p99 ${oneAtATime.latency.p99} ms; ${parallel.perSecond} pages/s with ${PARALLEL} in flight`);
      figures.push({ path, target, status: 200, bytes: probe.body.length, oneAtATime, parallel });
    }
  } finally {
    http.close();
  }
  return { orders, bigStoreParts: parts, loadSeconds, parallel: PARALLEL, pages: figures };
}
