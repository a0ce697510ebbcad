import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** Resident memory (current and peak) of a process, in MiB, from /proc/<pid>/status. */
export function memoryOf(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'))?.[1] ?? NaN);
  return { rssMiB: Math.round(kb('VmRSS') / 102.4) / 10, peakMiB: Math.round(kb('VmHWM') / 102.4) / 10 };
}

/** CPU seconds (user + system) a process has used, from /proc/<pid>/stat. */
export function cpuSecondsOf(pid: number) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Busy and total jiffies of the whole machine, from /proc/stat. */
function machineTicks() {
  const [, ...nums] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  const total = nums.reduce((a, b) => a + b, 0);
  const idle = nums[3]! + nums[4]!;
  return { busy: total - idle, total };
}

/** Measures the CPU use of a process, of PostgreSQL (when its data directory is given) and of the machine over a stretch of work. */
export function cpuMeter(pid: number, postgresDataDir?: string) {
  const t0 = performance.now();
  const p0 = cpuSecondsOf(pid);
  const pg0 = postgresDataDir ? postgresCpuSeconds(postgresDataDir) : 0;
  const m0 = machineTicks();
  return () => {
    const seconds = (performance.now() - t0) / 1000;
    const m1 = machineTicks();
    const percent = (cpuSeconds: number) => Math.round((cpuSeconds / seconds) * 1000) / 10;
    return {
      /** Percent of one core used by the process. */
      processPercent: percent(cpuSecondsOf(pid) - p0),
      /** Percent of one core used by PostgreSQL, all its processes together. */
      postgresPercent: postgresDataDir ? percent(postgresCpuSeconds(postgresDataDir) - pg0) : null,
      /** Percent of all cores busy on the machine (everything, including other users). */
      machinePercent: Math.round(((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * 1000) / 10,
    };
  };
}

/**
 * CPU seconds used by one PostgreSQL server: the postmaster, its live children (backends,
 * walwriter, ...) and the children it has reaped, found from the pid in postmaster.pid.
 */
export function postgresCpuSeconds(dataDir: string) {
  const postmaster = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
  const fields = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  };
  const own = fields(postmaster);
  let ticks = own[11]! + own[12]! + own[13]! + own[14]!;
  const children = readFileSync(`/proc/${postmaster}/task/${postmaster}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  for (const child of children) {
    try {
      const f = fields(Number(child));
      ticks += f[11]! + f[12]!;
    } catch {
      // exited meanwhile: its time is in the postmaster's reaped-children fields next time
    }
  }
  return ticks / TICKS_PER_SECOND;
}
