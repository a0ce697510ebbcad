import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { capacity } from '../scenarios/capacity.ts';
import type { latency } from '../scenarios/latency.ts';
import type { pages } from '../scenarios/pages.ts';
import type { streams } from '../scenarios/streams.ts';
import type { throughput } from '../scenarios/throughput.ts';
import type { twoProcess } from '../scenarios/two-process.ts';
import type { describeMachine } from './machine.ts';
import type { Summary } from './stats.ts';
import { streamRows } from './streams-report.ts';

export interface Report {
  date: string;
  commit: string;
  dirty: boolean;
  machine: ReturnType<typeof describeMachine> & { postgres: string; loadAverageAtEnd: number[] };
  settings: { quick: boolean } & Record<string, unknown>;
  results: {
    throughput?: Awaited<ReturnType<typeof throughput>>;
    latency?: Awaited<ReturnType<typeof latency>>;
    twoProcess?: Awaited<ReturnType<typeof twoProcess>>;
    capacity?: Awaited<ReturnType<typeof capacity>>;
    pages?: Awaited<ReturnType<typeof pages>>;
    streams?: Awaited<ReturnType<typeof streams>>;
  };
}

export function writeResults(report: Report) {
  const dir = fileURLToPath(new URL('../results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = `${dir}${report.date.slice(0, 10)}-${report.commit}${report.settings.quick ? '-quick' : ''}.json`;
  writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
  return file;
}

type Row = [figure: string, measured: string, target?: string, met?: boolean | null];
const n = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toLocaleString('en-US'));
const pct = (x: number | null | undefined) => (x === null || x === undefined ? 'n/a' : `${Math.round(x * 100)}%`);
const lat = (s: Summary) => `p50 ${n(s.p50)} / p95 ${n(s.p95)} / p99 ${n(s.p99)} / max ${n(s.max)} ms`;

function throughputRows(t: NonNullable<Report['results']['throughput']>): Row[] {
  const rows: Row[] = [];
  for (const [label, r] of Object.entries(t.runs)) {
    rows.push([`Orders/s over HTTP, triggers ${label}`, `${n(r.app.perSecond)} (p50 ${n(r.app.latency.p50)} ms, p99 ${n(r.app.latency.p99)} ms; app ${r.app.appCpuPercent}%, postgres ${r.app.postgresCpuPercent ?? 'n/a'}% of a core; machine ${r.app.machineCpuPercent}% busy)`]);
    // Issue 16: the app over HTTP reaches 60% of the same transaction through postgres.js with triggers on, 50% with them off.
    const share = label === 'on' ? 0.6 : 0.5;
    rows.push([`Ceiling through postgres.js, triggers ${label}`, `${n(r.postgresJs.perSecond)} (app = ${pct(r.appOfPostgresJs)})`,
      `app >= ${pct(share)} of postgres.js`, r.appOfPostgresJs === null ? null : r.appOfPostgresJs >= share]);
    rows.push([`Ceiling through pgbench, triggers ${label}`, r.pgbench ? `${n(r.pgbench.perSecond)} (app = ${pct(r.appOfPgbench)})` : (t.pgbenchNote ?? 'n/a'),
      label === 'on' ? 'app >= 50% of pgbench' : undefined, label === 'on' && r.appOfPgbench !== null ? r.appOfPgbench >= 0.5 : undefined]);
  }
  const c = t.notifyCost;
  rows.push(['NOTIFY cost: rate with triggers on / off', `app ${pct(c.app)}, postgres.js ${pct(c.postgresJs)}, pgbench ${pct(c.pgbench)}`]);
  return rows;
}

function latencyRows(l: NonNullable<Report['results']['latency']>): Row[] {
  return l.runs.flatMap((r): Row[] => {
    const limit = r.streams >= 1000 && r.rate === 500 ? 50 : r.streams >= 1000 && r.rate === 1000 ? 100 : undefined;
    const name = `${n(r.streams)} streams, ${n(r.rate)} orders/s (achieved ${n(r.achievedPerSecond)})`;
    return [
      [`${name}: from commit`, lat(r.fromCommit), limit ? `p99 < ${limit} ms` : undefined, limit ? r.fromCommit.p99 < limit : undefined],
      [`${name}: from POST response`, lat(r.fromResponse)],
      [`${name}: lost / duplicated`, `${n(r.lost)} / ${n(r.duplicates)} of ${n(r.notificationsDue)}`, '0 / 0', r.lost === 0 && r.duplicates === 0],
    ];
  });
}

function capacityRows(c: NonNullable<Report['results']['capacity']>): Row[] {
  const b = c.latencyWhileOpen;
  return [
    [`Resident memory, ${n(c.streams)} streams in one process`, `${n(c.memory.open.rssMiB)} MiB (${n(c.memory.before.rssMiB)} before; opened in ${c.openSeconds} s)`, '< 512 MiB', c.memory.open.rssMiB < 512],
    [`CPU while idle, ${n(c.streams)} streams (${c.idle.seconds} s)`, `app ${c.idle.processPercent}%, postgres ${c.idle.postgresPercent ?? 'n/a'}% of one core`],
    ['Event-loop delay while idle (app\'s own, prom-client)', c.idle.eventLoop ? `p50 ${c.idle.eventLoop.p50} / p99 ${c.idle.eventLoop.p99} / max ${c.idle.eventLoop.max} ms` : 'not exposed', 'p99 < 50 ms', c.idle.eventLoop ? c.idle.eventLoop.p99 < 50 : null],
    ['GET /healthz from outside while idle', lat(c.idle.healthz)],
    [`${n(b.rate)} orders/s with all open: from commit`, `${lat(b.fromCommit)}; lost ${n(b.lost)}, dup ${n(b.duplicates)}; event-loop p99 ${b.eventLoop?.p99 ?? 'n/a'} ms`, undefined, b.lost === 0 && b.duplicates === 0],
    [`Memory over ${c.churn.rounds.length} rounds of ${n(c.churn.streams)} streams opened and closed`, `resident ${c.churn.rounds.map((r) => r.rssMiB).join(' → ')} MiB; heap after full GC ${c.churn.rounds.map((r) => r.heapMiB).join(' → ')} MiB (growth ${n(c.churn.heapGrowthMiB)}); open after: ${n(c.churn.openStreamsAfter)}`, 'no growth', c.churn.heapGrowthMiB === null ? null : c.churn.heapGrowthMiB < 10 && c.churn.openStreamsAfter === 0],
  ];
}

function twoProcessRows(t: NonNullable<Report['results']['twoProcess']>): Row[] {
  return [
    [`Two processes, ${n(t.streams)} streams, ${n(t.rate)} orders/s (achieved ${n(t.twoProcesses.achievedPerSecond)}): from commit`, `${lat(t.twoProcesses.fromCommit)}; lost ${n(t.twoProcesses.lost)}, dup ${n(t.twoProcesses.duplicates)}`, undefined, t.twoProcesses.lost === 0 && t.twoProcesses.duplicates === 0],
    [`Same, one process (achieved ${n(t.oneProcess.achievedPerSecond)}): from commit`, `${lat(t.oneProcess.fromCommit)}; lost ${n(t.oneProcess.lost)}, dup ${n(t.oneProcess.duplicates)}`],
  ];
}

function pageRows(p: NonNullable<Report['results']['pages']>): Row[] {
  return p.pages.map((f): Row => {
    const name = f.path === '/healthz' ? '/healthz (the HTTP ceiling: no query, no HTML)' : `${f.path} at ${n(p.orders)} orders`;
    if (!f.oneAtATime || !f.parallel) return [name, f.note ?? `answered ${f.status}`];
    const { p99Ms, perSecond } = f.target ?? {};
    const met = (p99Ms === undefined || f.oneAtATime.latency.p99 < p99Ms) && (perSecond === undefined || f.parallel.perSecond >= perSecond);
    const target = [p99Ms === undefined ? '' : `p99 < ${p99Ms} ms`, perSecond === undefined ? '' : `>= ${n(perSecond)}/s`].filter(Boolean).join(', ');
    return [name, `p50 ${n(f.oneAtATime.latency.p50)} / p99 ${n(f.oneAtATime.latency.p99)} ms one at a time; ${n(f.parallel.perSecond)} pages/s with ${p.parallel} in flight (app ${f.parallel.cpu.processPercent}%, postgres ${f.parallel.cpu.postgresPercent ?? 'n/a'}% of a core)`,
      target || undefined, target ? met : undefined];
  });
}

/** The run as a markdown table on stdout. */
export function printTable(report: Report) {
  const { results: r, machine: m } = report;
  const rows: Row[] = [
    ...(r.throughput ? throughputRows(r.throughput) : []),
    ...(r.latency ? latencyRows(r.latency) : []),
    ...(r.capacity ? capacityRows(r.capacity) : []),
    ...(r.streams ? streamRows(r.streams) : []),
    ...(r.twoProcess ? twoProcessRows(r.twoProcess) : []),
    ...(r.pages ? pageRows(r.pages) : []),
  ];
  const mark = (met?: boolean | null) => (met === true ? 'met' : met === false ? '**missed**' : '');
  console.log(`### Orderbell benchmark, ${report.date.slice(0, 10)}, commit ${report.commit}${report.dirty ? ' (+ uncommitted changes)' : ''}${report.settings.quick ? ', BENCH_QUICK' : ''}\n`);
  console.log(`${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${n(m.fdatasyncPerSecond)} fdatasyncs/s on the data disk; Node ${m.node}; ${m.postgres.split(' on ')[0]}; load average ${m.loadAverageAtStart.join(', ')} at start, ${m.loadAverageAtEnd.join(', ')} at end.\n`);
  console.log('| Figure | Measured | Target | |');
  console.log('|---|---|---|---|');
  for (const [figure, measured, target, met] of rows) console.log(`| ${figure} | ${measured} | ${target ?? ''} | ${mark(met)} |`);
}
