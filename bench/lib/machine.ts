import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

const git = (...args: string[]) => {
  try {
    return execFileSync('git', args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};

/** What the figures were measured on, including how busy the machine was when the run began. */
export function describeMachine() {
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    openFilesLimit: Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()),
  };
}

export const commit = () => ({ commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--', 'src', 'drizzle') !== '' });
