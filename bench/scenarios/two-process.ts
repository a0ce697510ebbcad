import type { Bench } from '../lib/context.ts';
import { client } from '../lib/http.ts';
import { measureLatency } from '../lib/latency-run.ts';
import { phase } from '../lib/progress.ts';
import { StreamPool } from '../lib/sse.ts';

/**
 * Scenario 4: streams held by the main app process, orders placed through a second process on
 * the same database, then through the main process again at the same rate, for comparison.
 */
export async function twoProcess({ db, app, world, settings: s, startApp }: Bench) {
  const second = await startApp();
  const stores = world.stores.slice(0, s.twoProcessStreams);
  const pool = new StreamPool(app.base);
  const viaSecond = client(second.base, 2_000);
  const viaSame = client(app.base, 2_000);
  try {
    phase(`two processes: ${stores.length} streams on pid ${app.pid}, orders through pid ${second.pid} at ${s.twoProcessRate}/s`);
    await pool.open(stores.map((st) => ({ userId: st.userId, token: st.token })));
    const common = { sql: db.db.sql, pool, customers: world.customers, stores, rate: s.twoProcessRate, seconds: s.latencySeconds };
    const twoProcesses = await measureLatency({ ...common, orders: viaSecond });
    phase(`  from commit p50 ${twoProcesses.fromCommit.p50} p99 ${twoProcesses.fromCommit.p99} ms, lost ${twoProcesses.lost}; now the same through one process`);
    const oneProcess = await measureLatency({ ...common, orders: viaSame });
    phase(`  one process: from commit p50 ${oneProcess.fromCommit.p50} p99 ${oneProcess.fromCommit.p99} ms, lost ${oneProcess.lost}`);
    return { streams: stores.length, rate: s.twoProcessRate, twoProcesses, oneProcess };
  } finally {
    pool.close();
    viaSecond.close();
    viaSame.close();
    await second.stop();
  }
}
