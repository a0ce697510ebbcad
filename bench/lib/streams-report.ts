import type { streams } from '../scenarios/streams.ts';

type Streams = Awaited<ReturnType<typeof streams>>;
type Row = [figure: string, measured: string, target?: string, met?: boolean | null];
const n = (x: number | null | undefined) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : x.toLocaleString('en-US'));

/** The rows of issue 16's stream targets (bench/scenarios/streams.ts). */
export function streamRows(r: Streams): Row[] {
  const m = r.memory;
  const b = r.latencyWhileOpen;
  const growth = r.churn.heapGrowthMiB;
  // A few hundred streams (BENCH_QUICK) cost less than the app's own resident memory moves by
  // between two readings (it fell 9 MiB with 300 open): a figure at or below zero judges nothing.
  const measured = m.perStreamKiB > 0;
  return [
    [`Resident memory per open stream, ${n(r.streams)} streams (after a full GC)`, `${n(m.perStreamKiB)} KiB (${n(m.before.rssMiB)} → ${n(m.open.rssMiB)} MiB); heap ${n(m.heapPerStreamKiB)} KiB per stream`, '<= 20 KiB', measured ? m.perStreamKiB <= 20 : null],
    ['40,000 streams in one process, projected from the per-stream cost', `${n(m.projected40kMiB)} MiB`, '< 1,024 MiB', measured ? m.projected40kMiB < 1024 : null],
    [`CPU while idle, ${n(r.idle.streams)} streams (${r.idle.seconds} s)`, `app ${r.idle.processPercent}%, postgres ${r.idle.postgresPercent ?? 'n/a'}% of one core`, '< 5% of a core', r.idle.processPercent < 5],
    [`Event-loop delay while idle, ${n(r.streams)} streams`, r.idleEventLoop ? `p50 ${r.idleEventLoop.p50} / p99 ${r.idleEventLoop.p99} / max ${r.idleEventLoop.max} ms` : 'not exposed', 'p99 < 50 ms', r.idleEventLoop ? r.idleEventLoop.p99 < 50 : null],
    [`${n(b.rate)} orders/s with ${n(r.streams)} streams open: from commit`, `p50 ${n(b.fromCommit.p50)} / p99 ${n(b.fromCommit.p99)} / max ${n(b.fromCommit.max)} ms; lost ${n(b.lost)}, dup ${n(b.duplicates)} of ${n(b.notificationsDue)}; event-loop p99 ${b.eventLoop?.p99 ?? 'n/a'} ms`, 'p99 < 100 ms, 0 lost', b.fromCommit.p99 < 100 && b.lost === 0 && b.duplicates === 0],
    [`Heap after a full GC over ${r.churn.rounds.length} rounds of ${n(r.churn.streams)} streams opened and closed`, `${r.churn.rounds.map((x) => x.heapMiB).join(' → ')} MiB (growth ${n(growth)} MiB); resident ${r.churn.rounds.map((x) => x.rssMiB).join(' → ')} MiB`, 'within 2 MiB', growth === null ? null : Math.abs(growth) <= 2],
  ];
}
