import { execFileSync, spawnSync } from 'node:child_process';
import { phase } from './progress.ts';

/**
 * Thousands of streams need as many file descriptors in the bench and in the app. Node raises
 * its own soft limit to the hard limit when it starts, so only the hard limit can be short;
 * then the bench runs itself again under a higher `ulimit -n` (allowed for root; the app
 * inherits it), and warns if that did not help.
 */
export function ensureOpenFiles(needed: number) {
  const limit = Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim());
  if (limit >= needed) return;
  if (process.env.BENCH_FD_RAISED) {
    phase(`warning: ulimit -n is ${limit} but ${needed} are needed: opening that many streams may fail (raise the hard limit)`);
    return;
  }
  phase(`ulimit -n is ${limit}, ${needed} are needed: raising it and starting again`);
  const args = [...process.execArgv, ...process.argv.slice(1)];
  const run = spawnSync('sh', ['-c', `ulimit -n ${needed} 2>/dev/null; exec "$0" "$@"`, process.execPath, ...args], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_FD_RAISED: '1' },
  });
  process.exit(run.status ?? 1);
}
