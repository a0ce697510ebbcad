import { connect } from '../../src/db/client.ts';
import { bulkOrders } from '../lib/bulk-orders.ts';
import { placeOrder } from '../../src/orders/service.ts';
import type { Bench } from '../lib/context.ts';
import { client } from '../lib/http.ts';
import { closedLoop, placeOverHttp, randomCustomer, randomLines, type LoadResult } from '../lib/load.ts';
import { findPgbench, pgbenchVersion, runPgbench, type PgbenchResult } from '../lib/pgbench.ts';
import { placeOrderScript } from '../lib/place-order-script.ts';
import { cpuMeter } from '../lib/proc.ts';
import { phase } from '../lib/progress.ts';
import { notifyTriggers, setNotifyTriggers } from '../lib/triggers.ts';

/** Percent of one core: the bench's own process (the load's client), PostgreSQL; percent of the whole machine. */
type Cpu = { clientCpuPercent: number; postgresCpuPercent: number | null; machineCpuPercent: number };

const fraction = (a: number, b: number | undefined) => (b ? Math.round((a / b) * 1000) / 1000 : null);

/**
 * Scenarios 1 and 6: sustained orders per second over HTTP, beside the ceilings of the same
 * transaction driven straight through postgres.js and through pgbench, with the notification
 * triggers on and then off.
 */
export async function throughput({ db, app, world, settings: s }: Bench) {
  const { customers, stores } = world;
  const http = client(app.base, s.httpConcurrency);
  const direct = connect(db.url, s.dbConcurrency);
  const pgbench = findPgbench();
  let pgbenchNote: string | undefined;
  const products = stores.length * s.productsPerStore;
  const viaHttp = () => placeOverHttp(http, customers, stores);
  const viaPostgresJs = () => {
    const c = randomCustomer(customers);
    const input = { items: randomLines(stores), deliveryAddress: '1 Bench Street, Testville', paymentMethod: 'cash_on_delivery' as const };
    return placeOrder(direct.sql, c, input, { deliveryDays: 5, ratePerMinute: 1_000_000 });
  };
  // A history first (then analyzed): the arms run one after another, and a pooled connection keeps
  // the plans it made at its first orders. Against empty tables those scan orders and
  // seller_orders whole, and only the app's connections, busy from the first arm, planned then:
  // one run read 46M rows in seq scans during the app's arm, 0.3M during the ceiling's.
  phase(`throughput: bulk-loading ${s.throughputHistory.toLocaleString('en-US')} orders of history`);
  await bulkOrders(db.db.sql, s.throughputHistory);
  const triggers = await notifyTriggers(db.db.sql);
  // Generated from the service's own statements, so the ceiling cannot drift from the app's transaction.
  const script = pgbench ? await placeOrderScript(db.url, customers.at(-1)!, [stores[0]!.productIds[0]!, stores.at(-1)!.productIds[0]!]) : '';
  const runs: Record<string, { app: LoadResult & Cpu & { appCpuPercent: number }; postgresJs: LoadResult & Cpu; pgbench: PgbenchResult | null; appOfPostgresJs: number | null; appOfPgbench: number | null }> = {};
  try {
    for (const on of [true, false]) {
      const label = on ? 'on' : 'off';
      await setNotifyTriggers(db.db.sql, on);
      phase(`throughput, triggers ${label}: app over HTTP (${s.httpConcurrency} in flight, pool ${s.dbConcurrency}, ${s.throughputSeconds} s)`);
      await closedLoop(viaHttp, s.httpConcurrency, s.warmupSeconds);
      await db.db.sql`checkpoint`;
      const meter = cpuMeter(app.pid, db.dataDir);
      const clientMeter = cpuMeter(process.pid);
      const appRun = await closedLoop(viaHttp, s.httpConcurrency, s.throughputSeconds);
      const cpu = meter();
      const clientCpu = clientMeter();
      phase(`  app ${appRun.perSecond} orders/s; ceiling through postgres.js (${s.dbConcurrency} connections)`);
      await closedLoop(viaPostgresJs, s.dbConcurrency, s.warmupSeconds);
      await db.db.sql`checkpoint`;
      const ceilingMeter = cpuMeter(process.pid, db.dataDir);
      const pgRun = await closedLoop(viaPostgresJs, s.dbConcurrency, s.throughputSeconds);
      const ceilingCpu = ceilingMeter();
      phase(`  postgres.js ${pgRun.perSecond} orders/s; ceiling through pgbench`);
      let bench: PgbenchResult | null = null;
      if (pgbench && !pgbenchNote) {
        try {
          await db.db.sql`checkpoint`;
          bench = await runPgbench(pgbench, db.url, script, { clients: s.dbConcurrency, seconds: s.throughputSeconds, customers: customers.length, products });
          phase(`  pgbench ${bench.perSecond} orders/s`);
        } catch (e) {
          pgbenchNote = `pgbench failed against this server, ceiling skipped: ${String(e).slice(0, 300)}`;
          phase(pgbenchNote);
        }
      }
      runs[label] = {
        app: { ...appRun, appCpuPercent: cpu.processPercent, clientCpuPercent: clientCpu.processPercent, postgresCpuPercent: cpu.postgresPercent, machineCpuPercent: cpu.machinePercent },
        postgresJs: { ...pgRun, clientCpuPercent: ceilingCpu.processPercent, postgresCpuPercent: ceilingCpu.postgresPercent, machineCpuPercent: ceilingCpu.machinePercent },
        pgbench: bench,
        appOfPostgresJs: fraction(appRun.perSecond, pgRun.perSecond),
        appOfPgbench: fraction(appRun.perSecond, bench?.perSecond),
      };
    }
  } finally {
    await setNotifyTriggers(db.db.sql, true);
    http.close();
    await direct.close();
  }
  return {
    triggers,
    pgbench: pgbench ? await pgbenchVersion(pgbench) : null,
    pgbenchNote: pgbenchNote ?? (pgbench ? undefined : 'pgbench not installed: ceiling skipped'),
    runs,
    notifyCost: {
      app: fraction(runs.on!.app.perSecond, runs.off!.app.perSecond),
      postgresJs: fraction(runs.on!.postgresJs.perSecond, runs.off!.postgresJs.perSecond),
      pgbench: fraction(runs.on!.pgbench?.perSecond ?? 0, runs.off!.pgbench?.perSecond),
    },
  };
}
