import { fileURLToPath } from 'node:url';
import type { AppProcess } from '../lib/app.ts';
import type { Bench } from '../lib/context.ts';
import { client } from '../lib/http.ts';
import { measureLatency } from '../lib/latency-run.ts';
import { eventLoopWindow, scrape } from '../lib/metrics.ts';
import { healthProbe } from '../lib/probe.ts';
import { cpuMeter, memoryOf } from '../lib/proc.ts';
import { phase, sleep } from '../lib/progress.ts';
import { StreamPool } from '../lib/sse.ts';

export const heapMiB = async (base: string) => Math.round(((await scrape(base)).get('nodejs_heap_size_used_bytes') ?? NaN) / 2 ** 20 * 10) / 10;
export const gcPreload = fileURLToPath(new URL('../lib/gc-on-signal.mjs', import.meta.url));

/** Memory of the app right after a full garbage collection (asked for with SIGUSR2, see gc-on-signal.mjs). */
export async function settledMemory(app: AppProcess) {
  process.kill(app.pid, 'SIGUSR2');
  await sleep(500);
  return { ...memoryOf(app.pid), heapMiB: await heapMiB(app.base) };
}

/**
 * Scenario 3, in a fresh app process: memory with `capacityStreams` open streams, CPU and
 * event-loop delay while they idle through at least two heartbeat rounds, notification latency
 * while they are open, then memory across rounds of opening and closing `churnStreams` streams
 * (heap and resident memory read right after a forced full garbage collection).
 */
export async function capacity({ db, world, settings: s, startApp }: Bench) {
  const app = await startApp(['--expose-gc', '--import', gcPreload]);
  const orders = client(app.base, 2_000);
  try {
    await sleep(1000);
    const before = await settledMemory(app);
    const stores = world.stores.slice(0, s.capacityStreams);
    phase(`capacity: opening ${stores.length} streams on a fresh app (pid ${app.pid}, ${before.rssMiB} MiB resident)`);
    const pool = new StreamPool(app.base);
    const t = performance.now();
    await pool.open(stores.map((st) => ({ userId: st.userId, token: st.token })));
    const openSeconds = Math.round((performance.now() - t) / 100) / 10;
    await sleep(2000);
    const open = { ...memoryOf(app.pid), heapMiB: await heapMiB(app.base) };
    phase(`  ${stores.length} open in ${openSeconds} s: ${open.rssMiB} MiB resident; idling ${s.idleSeconds} s (heartbeats every ${s.heartbeatSeconds} s)`);
    const lag = await eventLoopWindow(app.base);
    const probe = healthProbe(app.base);
    const cpu = cpuMeter(app.pid, db.dataDir);
    await sleep(s.idleSeconds * 1000);
    const idle = { ...cpu(), eventLoop: lag ? await lag() : null, healthz: await probe(), ...memoryOf(app.pid), streamsEnded: pool.ended };
    phase(`  idle: app ${idle.processPercent}% of a core, event-loop p99 ${idle.eventLoop?.p99 ?? '?'} ms, /healthz p99 ${idle.healthz.p99} ms`);
    const lag2 = await eventLoopWindow(app.base);
    const busy = await measureLatency({ sql: db.db.sql, pool, orders, customers: world.customers, stores, rate: s.capacityRate, seconds: s.latencySeconds });
    const busyLag = lag2 ? await lag2() : null;
    phase(`  ${s.capacityRate} orders/s with all open: from commit p50 ${busy.fromCommit.p50} p99 ${busy.fromCommit.p99} ms, lost ${busy.lost}`);
    pool.close();
    await sleep(2000);
    const closed = await settledMemory(app);
    const rounds = [];
    for (let round = 1; round <= s.churnRounds; round++) {
      const churn = new StreamPool(app.base);
      await churn.open(world.stores.slice(0, s.churnStreams).map((st) => ({ userId: st.userId, token: st.token })));
      churn.close();
      await sleep(1000);
      rounds.push({ round, ...(await settledMemory(app)) });
      phase(`  churn round ${round}/${s.churnRounds}: ${s.churnStreams} opened and closed, ${rounds.at(-1)!.rssMiB} MiB resident, heap ${rounds.at(-1)!.heapMiB} MiB`);
    }
    const openStreamsAfter = (await scrape(app.base)).get('orderbell_open_streams') ?? null;
    return {
      streams: stores.length,
      openSeconds,
      memory: { before, open, closed },
      idle: { seconds: s.idleSeconds, ...idle },
      latencyWhileOpen: { ...busy, eventLoop: busyLag },
      churn: {
        streams: s.churnStreams,
        rounds,
        openStreamsAfter,
        rssGrowthMiB: rounds.length > 1 ? Math.round((rounds.at(-1)!.rssMiB - rounds[0]!.rssMiB) * 10) / 10 : null,
        heapGrowthMiB: rounds.length > 1 ? Math.round((rounds.at(-1)!.heapMiB - rounds[0]!.heapMiB) * 10) / 10 : null,
      },
    };
  } finally {
    orders.close();
    await app.stop();
  }
}
