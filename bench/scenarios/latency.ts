import type { Bench } from '../lib/context.ts';
import { client } from '../lib/http.ts';
import { measureLatency } from '../lib/latency-run.ts';
import { phase } from '../lib/progress.ts';
import { StreamPool } from '../lib/sse.ts';

/** Scenario 2: 100 and then 1,000 seller streams (one per store), orders at steady rates through the same process. */
export async function latency({ db, app, world, settings: s }: Bench) {
  const orders = client(app.base, 2_000);
  const runs = [];
  try {
    for (const count of s.latencyStreams) {
      const stores = world.stores.slice(0, count);
      const pool = new StreamPool(app.base);
      phase(`latency: opening ${count} seller streams`);
      await pool.open(stores.map((st) => ({ userId: st.userId, token: st.token })));
      try {
        for (const rate of s.latencyRates) {
          phase(`  ${count} streams, ${rate} orders/s for ${s.latencySeconds} s`);
          const r = await measureLatency({ sql: db.db.sql, pool, orders, customers: world.customers, stores, rate, seconds: s.latencySeconds });
          phase(`    achieved ${r.achievedPerSecond}/s, from commit p50 ${r.fromCommit.p50} p99 ${r.fromCommit.p99} ms, lost ${r.lost}, duplicates ${r.duplicates}`);
          runs.push({ streams: count, ...r });
        }
      } finally {
        pool.close();
      }
    }
  } finally {
    orders.close();
  }
  return { runs };
}
