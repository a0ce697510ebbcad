/**
 * Every count and duration of a run. `BENCH_QUICK=1` scales them down so that a run ends in
 * under two minutes; `BENCH_ONLY=throughput,pages` runs only the named scenarios.
 */
export const quick = process.env.BENCH_QUICK === '1';

export const SCENARIOS = ['throughput', 'pages', 'latency', 'capacity', 'streams', 'two-process'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

const only = (process.env.BENCH_ONLY ?? '').split(',').map((s) => s.trim()).filter(Boolean);
const unknown = only.filter((s) => !SCENARIOS.includes(s as ScenarioName));
if (unknown.length) throw new Error(`BENCH_ONLY: unknown scenario(s) ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
export const runs = (name: ScenarioName) => !only.length || only.includes(name);

export const settings = {
  quick,
  /** Stores (one seller user each) and their products; every stream belongs to one store. */
  stores: quick ? 1_000 : 10_000,
  productsPerStore: 4,
  customers: quick ? 500 : 2_000,
  /** Database connections of the app (DB_POOL_MAX) = postgres.js pool = pgbench clients. */
  dbConcurrency: 10,
  /** Orders in flight over HTTP during the throughput runs (twice the pool, so it never idles). */
  httpConcurrency: 20,
  throughputSeconds: quick ? 2 : 20,
  /** Orders bulk-loaded before the throughput arms, so that every arm's connections plan against a shop with a history. */
  throughputHistory: quick ? 2_000 : 10_000,
  warmupSeconds: quick ? 1 : 3,
  /** Orders of the "pages at size" scenario, bulk-loaded in SQL. */
  pageOrders: quick ? 10_000 : 100_000,
  pageSeconds: quick ? 0.5 : 8,
  latencyStreams: [100, 1_000],
  latencyRates: quick ? [100, 500] : [100, 500, 1_000],
  latencySeconds: quick ? 2 : 10,
  capacityStreams: quick ? 1_000 : 10_000,
  idleSeconds: quick ? 5 : 35,
  capacityRate: 100,
  churnStreams: quick ? 500 : 5_000,
  churnRounds: quick ? 3 : 10,
  /** The streams scenario: idle CPU with this many open, then memory and latency at the most this machine allows (20,000 open files per process). */
  streamsIdle: quick ? 300 : 10_000,
  streamsMax: quick ? 300 : 19_000,
  twoProcessStreams: 1_000,
  twoProcessRate: quick ? 100 : 500,
  /** Heartbeat interval given to the app (its default; 2 s in quick mode, so a short idle window still covers two). */
  heartbeatSeconds: quick ? 2 : 15,
};
export type Settings = typeof settings;
