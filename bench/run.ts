/**
 * `npm run bench`: starts a throwaway PostgreSQL and the app as a separate process, loads data,
 * runs the scenarios of issue 6, prints a markdown table and writes bench/results/<date>-<commit>.json.
 * BENCH_QUICK=1 for a short run; BENCH_ONLY=throughput,pages,... for some scenarios only.
 */
import { loadavg } from 'node:os';
import { startApp } from './lib/app.ts';
import type { Bench } from './lib/context.ts';
import { ensureOpenFiles } from './lib/fd-limit.ts';
import { checkLogin } from './lib/login.ts';
import { commit, describeMachine } from './lib/machine.ts';
import { POSTGRES_TUNING, startDatabase } from './lib/pg.ts';
import { phase } from './lib/progress.ts';
import { printTable, writeResults, type Report } from './lib/report.ts';
import { seedWorld } from './lib/seed.ts';
import { runs, settings } from './lib/settings.ts';
import { capacity } from './scenarios/capacity.ts';
import { latency } from './scenarios/latency.ts';
import { pages } from './scenarios/pages.ts';
import { streams } from './scenarios/streams.ts';
import { throughput } from './scenarios/throughput.ts';
import { twoProcess } from './scenarios/two-process.ts';

ensureOpenFiles(Math.max(settings.capacityStreams, settings.churnStreams) + 2_000);
const startedAt = new Date();
const machineAtStart = describeMachine();
phase(`starting${settings.quick ? ' (BENCH_QUICK)' : ''}: embedded PostgreSQL`);
const db = await startDatabase();
const results: Report['results'] = {};
const apps: { stop(): Promise<void> }[] = [];
const cleanUp = async () => {
  for (const app of apps.splice(0)) await app.stop();
  await db.stop();
};
// Interrupted: stop the app processes and remove the throwaway database before leaving.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
try {
  phase(`${db.version.split(' ').slice(0, 2).join(' ')} up; seeding ${settings.customers} customers, ${settings.stores} stores`);
  const world = await seedWorld(db.db.sql, settings);
  const launch = async (extraArgs: string[] = []) => {
    const app = await startApp(db.url, settings.dbConcurrency, settings.heartbeatSeconds, extraArgs);
    apps.push(app);
    return app;
  };
  // BENCH_APP_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof": flags for the main app process only.
  const app = await launch((process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean));
  phase(`app up (pid ${app.pid}, port ${app.port})`);
  await checkLogin(app.base, world.customers[0]!.email);
  const bench: Bench = { db, app, world, settings, startApp: launch };
  if (runs('throughput')) results.throughput = await throughput(bench);
  if (runs('latency')) results.latency = await latency(bench);
  if (runs('two-process')) results.twoProcess = await twoProcess(bench);
  if (runs('capacity')) results.capacity = await capacity(bench);
  if (runs('streams')) results.streams = await streams(bench);
  if (runs('pages')) results.pages = await pages(bench);
} finally {
  await cleanUp();
}
const report: Report & Record<string, unknown> = {
  date: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  ...commit(),
  machine: { ...machineAtStart, postgres: db.version, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100) },
  settings: { ...settings, postgresTuning: POSTGRES_TUNING, appEnvironment: 'NODE_ENV=production LOG_LEVEL=warn SEED_DEMO=0 DB_POOL_MAX=<dbConcurrency> ORDER_RATE_LIMIT_PER_MINUTE=1000000' },
  results,
};
const file = writeResults(report);
printTable(report);
phase(`done: ${file}`);
