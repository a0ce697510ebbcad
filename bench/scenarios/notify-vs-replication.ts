/**
 * Issue 16, "past one database's NOTIFY" (docs/decisions/014): the order ceiling and the delivery
 * of notification ids with pg_notify in the trigger (as shipped) against the same rows carried
 * by logical replication (a publication on `notifications`, read with postgres.js `subscribe`),
 * and what each does to ordering and catch-up. Not part of `npm run bench`; run it on its own:
 *
 *   npx tsx bench/scenarios/notify-vs-replication.ts      (SECONDS=10 ROUNDS=2 by default)
 *
 * Two throwaway PostgreSQL servers, one after the other: wal_level=replica (as shipped) and
 * wal_level=logical (what replication needs). Orders are placed through the service's placeOrder
 * over a pool of 10 connections, 10 in flight, as the bench's postgres.js ceiling does.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { functionFiles } from '../../src/db/migrate.ts';
import { placeOrder } from '../../src/orders/service.ts';
import { closedLoop, randomCustomer, randomLines } from '../lib/load.ts';
import { commit, describeMachine } from '../lib/machine.ts';
import { startDatabase, type BenchDatabase } from '../lib/pg.ts';
import { cpuMeter } from '../lib/proc.ts';
import { phase, sleep } from '../lib/progress.ts';
import { seedWorld, type World } from '../lib/seed.ts';
import { summarize } from '../lib/stats.ts';

const SECONDS = Number(process.env.SECONDS_PER_RUN ?? process.env.SECONDS ?? 10);
const ROUNDS = Number(process.env.ROUNDS ?? 2);
const POOL = 10;
const PUBLICATION = 'orderbell_bench_notifications';

type Mode = 'notify' | 'rows only' | 'replication';

/** orderbell_notify as shipped (the one current copy), and the same without its pg_notify. */
const shipped = functionFiles().find((f) => f.name === 'orderbell_notify')!.sql;
const withoutNotify = shipped.replace(/^\s*PERFORM pg_notify\(.*\);\n/m, '');
if (withoutNotify === shipped) throw new Error('orderbell_notify no longer has the pg_notify line this measurement removes');

/** Ids as they arrive at one receiver, with the time each came. */
class Arrivals {
  order: number[] = [];
  at = new Map<number, number>();
  add(id: number) {
    this.order.push(id);
    this.at.set(id, Date.now());
  }
}

/** One LISTEN connection, as each app process holds (docs/decisions/001). */
async function listenReceiver(url: string, arrivals: Arrivals) {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  await sql.listen('orderbell', (payload) => arrivals.add(Number(payload.split(':')[0])));
  return () => sql.end({ timeout: 1 });
}

/** One logical replication stream of the notification rows (postgres.js: a temporary slot). */
async function replicationReceiver(url: string, arrivals: Arrivals) {
  const sql = postgres(url, { max: 1, publications: PUBLICATION, onnotice: () => {} });
  await sql.subscribe('insert:notifications', (row) => arrivals.add(Number(row!.id)));
  return () => sql.end({ timeout: 1 });
}

async function measure(db: BenchDatabase, world: World, mode: Mode) {
  const sql = db.db.sql;
  await sql.unsafe(mode === 'notify' ? shipped : withoutNotify);
  const arrivals = new Arrivals();
  const stop = mode === 'notify' ? await listenReceiver(db.url, arrivals) : mode === 'replication' ? await replicationReceiver(db.url, arrivals) : null;
  const order = () =>
    placeOrder(sql, randomCustomer(world.customers), { items: randomLines(world.stores), deliveryAddress: '1 Bench Street, Testville', paymentMethod: 'cash_on_delivery' }, { deliveryDays: 5, ratePerMinute: 1_000_000 });
  try {
    await closedLoop(order, POOL, 2);
    await sql`checkpoint`;
    const [{ start: from }] = await sql<[{ start: number }]>`select coalesce(max(id), 0)::float8 as start from notifications`;
    const meter = cpuMeter(process.pid, db.dataDir);
    const load = await closedLoop(order, POOL, SECONDS);
    const cpu = meter();
    const rows = await sql<{ id: number; recipient: string; at: number }[]>`
      select id::float8 as id, recipient_id as recipient, extract(epoch from created_at)::float8 * 1000 as at
      from notifications where id > ${from} order by id`;
    // Wait (at most 10 s) for the receiver to catch up with what committed.
    for (let i = 0; stop && i < 100 && rows.some((r) => !arrivals.at.has(r.id)); i++) await sleep(100);
    const delivered = rows.filter((r) => arrivals.at.has(r.id));
    const inWindow = new Set(rows.map((r) => r.id));
    const seen = arrivals.order.filter((id) => inWindow.has(id));
    const recipientOf = new Map(rows.map((r) => [r.id, r.recipient]));
    const lastOf = new Map<string, number>();
    let outOfIdOrder = 0;
    let outOfIdOrderPerRecipient = 0;
    seen.forEach((id, i) => {
      if (i && id < seen[i - 1]!) outOfIdOrder++;
      const r = recipientOf.get(id)!;
      if (id < (lastOf.get(r) ?? 0)) outOfIdOrderPerRecipient++;
      lastOf.set(r, id);
    });
    return {
      mode,
      ordersPerSecond: load.perSecond,
      failed: load.failed,
      orderMs: load.latency,
      notifications: rows.length,
      delivered: stop ? delivered.length : null,
      duplicates: seen.length - new Set(seen).size,
      /** From the notification's created_at (clock_timestamp() in the deferred trigger, at commit) to its arrival. */
      deliveryMs: stop ? summarize(delivered.map((r) => arrivals.at.get(r.id)! - r.at)) : null,
      outOfIdOrder: stop ? outOfIdOrder : null,
      outOfIdOrderPerRecipient: stop ? outOfIdOrderPerRecipient : null,
      postgresCpuPercent: cpu.postgresPercent,
      benchProcessCpuPercent: cpu.processPercent,
      machineCpuPercent: cpu.machinePercent,
    };
  } finally {
    await stop?.();
  }
}

/**
 * Catch-up: a receiver that is away while orders commit. NOTIFY and postgres.js's temporary slot
 * both lose what happened meanwhile (the app replays from the table by id); a durable slot keeps
 * it, at the price of WAL kept on the database's disk for as long as its reader is away.
 */
async function catchUp(db: BenchDatabase, world: World) {
  const sql = db.db.sql;
  const away = 50;
  const order = () =>
    placeOrder(sql, randomCustomer(world.customers), { items: randomLines(world.stores), deliveryAddress: '1 Bench Street, Testville', paymentMethod: 'cash_on_delivery' }, { deliveryDays: 5, ratePerMinute: 1_000_000 });
  const missed = async (mode: 'notify' | 'replication') => {
    await sql.unsafe(mode === 'notify' ? shipped : withoutNotify);
    const [{ start: from }] = await sql<[{ start: number }]>`select coalesce(max(id), 0)::float8 as start from notifications`;
    for (let i = 0; i < away; i++) await order();
    const arrivals = new Arrivals();
    const stop = mode === 'notify' ? await listenReceiver(db.url, arrivals) : await replicationReceiver(db.url, arrivals);
    await order();
    const [{ last: to }] = await sql<[{ last: number }]>`select max(id)::float8 as last from notifications`;
    for (let i = 0; i < 50 && !arrivals.at.has(to); i++) await sleep(100);
    await stop();
    const [{ n }] = await sql<[{ n: number }]>`select count(*)::int as n from notifications where id > ${from} and id < ${to} - 3`;
    return { placedWhileAway: away, rowsWhileAway: n, receivedOfThose: arrivals.order.filter((id) => id > from && id < to - 3).length };
  };
  const notify = await missed('notify');
  const replication = await missed('replication');
  await sql.unsafe(withoutNotify);
  await sql`select pg_create_logical_replication_slot('orderbell_bench_durable', 'pgoutput')`;
  try {
    for (let i = 0; i < away; i++) await order();
    const [kept] = await sql<[{ messages: number; walBytes: number }]>`
      select (select count(*)::int from pg_logical_slot_peek_binary_changes('orderbell_bench_durable', null, null,
                'proto_version', '1', 'publication_names', ${PUBLICATION})) as messages,
             (select pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 from pg_replication_slots
               where slot_name = 'orderbell_bench_durable') as "walBytes"`;
    return { notify, replicationTemporarySlot: replication, durableSlot: { placedWhileAway: away, ...kept } };
  } finally {
    await sql`select pg_drop_replication_slot('orderbell_bench_durable')`;
    await sql.unsafe(shipped);
  }
}

async function server(walLevel: 'replica' | 'logical', modes: Mode[]) {
  phase(`wal_level=${walLevel}: starting PostgreSQL and seeding`);
  const db = await startDatabase({ wal_level: walLevel });
  try {
    const world = await seedWorld(db.db.sql, { customers: 500, stores: 1_000, productsPerStore: 4 });
    if (modes.includes('replication')) await db.db.sql.unsafe(`create publication ${PUBLICATION} for table notifications with (publish = 'insert')`);
    const runs = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const mode of round % 2 ? [...modes].reverse() : modes) {
        phase(`wal_level=${walLevel}, round ${round + 1}: ${mode} (${SECONDS} s)`);
        const run = await measure(db, world, mode);
        phase(`  ${run.ordersPerSecond} orders/s, delivery p50 ${run.deliveryMs?.p50 ?? '-'} ms p99 ${run.deliveryMs?.p99 ?? '-'} ms, postgres ${run.postgresCpuPercent}% of a core`);
        runs.push({ walLevel, round: round + 1, ...run });
      }
    }
    return { runs, catchUp: modes.includes('replication') ? await catchUp(db, world) : undefined };
  } finally {
    await db.stop();
  }
}

export async function notifyVsReplication() {
  const machine = describeMachine();
  const replica = await server('replica', ['notify', 'rows only']);
  const logical = await server('logical', ['notify', 'rows only', 'replication']);
  const result = { ...commit(), machine, loadAverageAtEnd: loadavg().map((l) => Math.round(l * 100) / 100), seconds: SECONDS, rounds: ROUNDS, pool: POOL, runs: [...replica.runs, ...logical.runs], catchUp: logical.catchUp };
  const rows = result.runs.map((r) =>
    `| ${r.walLevel} | ${r.mode} | ${r.round} | ${r.ordersPerSecond} | ${r.orderMs.p50} / ${r.orderMs.p99} | ${r.delivered ?? '-'} of ${r.notifications} | ${r.deliveryMs ? `${r.deliveryMs.p50} / ${r.deliveryMs.p99}` : '-'} | ${r.outOfIdOrder ?? '-'} / ${r.outOfIdOrderPerRecipient ?? '-'} | ${r.postgresCpuPercent}% | ${r.machineCpuPercent}% |`,
  );
  console.log(['| wal_level | delivery | round | orders/s | order ms p50 / p99 | delivered | delivery ms p50 / p99 | arrivals out of id order: all / per recipient | postgres CPU (of a core) | machine CPU |', '|---|---|---|---|---|---|---|---|---|---|', ...rows].join('\n'));
  console.log(JSON.stringify({ machine: result.machine, loadAverageAtEnd: result.loadAverageAtEnd, catchUp: result.catchUp }, null, 2));
  const file = fileURLToPath(new URL(`../results/${new Date().toISOString().slice(0, 10)}-notify-vs-replication-${result.commit}.json`, import.meta.url));
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  phase(`written to ${file}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await notifyVsReplication();
