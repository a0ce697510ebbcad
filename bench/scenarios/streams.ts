import type { Bench } from '../lib/context.ts';
import { client } from '../lib/http.ts';
import { measureLatency } from '../lib/latency-run.ts';
import { eventLoopWindow } from '../lib/metrics.ts';
import { cpuMeter } from '../lib/proc.ts';
import { phase, sleep } from '../lib/progress.ts';
import { RemotePool } from '../lib/remote-pool.ts';
import type { Store } from '../lib/seed.ts';
import { gcPreload, settledMemory } from './capacity.ts';

/** Streams one loader process holds at most (a process may have 20,000 open files here). */
const PER_LOADER = 10_000;
const KIB_PER_MIB = 1024;

/**
 * Issue 16's stream targets, in a fresh app process whose clients live in other processes:
 * idle CPU with `streamsIdle` open; resident memory and heap per stream (after a full GC) with
 * `streamsMax` open, and the 40,000-stream figure projected from that cost; event-loop delay
 * while they idle through a heartbeat round; notification latency at `capacityRate` orders/s
 * while all are open; the heap after a full GC over `churnRounds` rounds of `churnStreams`
 * streams opened and closed. Stores are reused round-robin when streams outnumber them (a
 * seller with two tabs).
 */
export async function streams({ db, world, settings: s, startApp }: Bench) {
  const app = await startApp(['--expose-gc', '--import', gcPreload]);
  const orders = client(app.base, 2_000);
  const pool = new RemotePool(app.base);
  const usersOf = (from: number, count: number) =>
    Array.from({ length: count }, (_, i) => world.stores[(from + i) % world.stores.length]!).map((st) => ({ userId: st.userId, token: st.token }));
  const openUpTo = async (target: number) => {
    while (pool.size < target) await pool.open(usersOf(pool.size, Math.min(PER_LOADER, target - pool.size)));
  };
  try {
    await sleep(1000);
    const before = await settledMemory(app);
    phase(`streams: opening ${s.streamsIdle} streams from loader processes (app pid ${app.pid}, ${before.rssMiB} MiB resident)`);
    let t = performance.now();
    await openUpTo(s.streamsIdle);
    const openSeconds = Math.round((performance.now() - t) / 100) / 10;
    await sleep(2000);
    // Quick runs hold one count only: the idle window then gives the event-loop figure too.
    const oneCount = s.streamsMax <= s.streamsIdle;
    const cpu = cpuMeter(app.pid, db.dataDir);
    let lag = oneCount ? await eventLoopWindow(app.base) : null;
    await sleep(s.idleSeconds * 1000);
    const idle = { streams: pool.size, seconds: s.idleSeconds, openSeconds, ...cpu() };
    let idleLag = lag ? await lag() : null;
    phase(`  ${pool.size} open in ${openSeconds} s; idle ${s.idleSeconds} s: app ${idle.processPercent}%, postgres ${idle.postgresPercent}% of a core`);

    t = performance.now();
    await openUpTo(s.streamsMax);
    const moreSeconds = Math.round((performance.now() - t) / 100) / 10;
    await sleep(2000);
    const open = await settledMemory(app);
    const perStreamKiB = Math.round(((open.rssMiB - before.rssMiB) * KIB_PER_MIB) / pool.size * 10) / 10;
    const heapPerStreamKiB = Math.round(((open.heapMiB - before.heapMiB) * KIB_PER_MIB) / pool.size * 10) / 10;
    const projected40kMiB = Math.round(before.rssMiB + (40_000 * perStreamKiB) / KIB_PER_MIB);
    phase(`  ${pool.size} open (+${moreSeconds} s): ${open.rssMiB} MiB resident, ${perStreamKiB} KiB and ${heapPerStreamKiB} KiB of heap per stream; 40,000 → ${projected40kMiB} MiB`);
    if (!oneCount) {
      lag = await eventLoopWindow(app.base);
      await sleep(s.idleSeconds * 1000);
      idleLag = lag ? await lag() : null;
    }
    phase(`  idle with ${pool.size}: event-loop p99 ${idleLag?.p99 ?? '?'} ms`);

    const lag2 = await eventLoopWindow(app.base);
    const stores: Store[] = world.stores.slice(0, Math.min(pool.size, world.stores.length));
    const busy = await measureLatency({ sql: db.db.sql, pool, orders, customers: world.customers, stores, rate: s.capacityRate, seconds: s.latencySeconds });
    const busyLag = lag2 ? await lag2() : null;
    phase(`  ${s.capacityRate} orders/s with ${pool.size} open: from commit p50 ${busy.fromCommit.p50} p99 ${busy.fromCommit.p99} ms, lost ${busy.lost}, dup ${busy.duplicates}`);
    const streamsEnded = pool.ended;
    await pool.close();
    await sleep(2000);
    const closed = await settledMemory(app);

    const rounds = [];
    for (let round = 1; round <= s.churnRounds; round++) {
      const churn = new RemotePool(app.base);
      await churn.open(usersOf(0, s.churnStreams));
      await churn.close();
      await sleep(1000);
      rounds.push({ round, ...(await settledMemory(app)) });
      phase(`  churn round ${round}/${s.churnRounds}: ${s.churnStreams} opened and closed, heap ${rounds.at(-1)!.heapMiB} MiB, ${rounds.at(-1)!.rssMiB} MiB resident`);
    }
    return {
      streams: pool.size,
      idle,
      memory: { before, open, closed, perStreamKiB, heapPerStreamKiB, projected40kMiB },
      idleEventLoop: idleLag,
      streamsEnded,
      latencyWhileOpen: { ...busy, eventLoop: busyLag },
      churn: {
        streams: s.churnStreams,
        rounds,
        heapGrowthMiB: rounds.length > 1 ? Math.round((rounds.at(-1)!.heapMiB - rounds[0]!.heapMiB) * 10) / 10 : null,
      },
    };
  } finally {
    await pool.close();
    orders.close();
    await app.stop();
  }
}
