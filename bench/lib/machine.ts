import { execFileSync } from 'node:child_process';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';

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
    fdatasyncPerSecond: flushesPerSecond(),
    loadAverageAtStart: loadavg().map((l) => Math.round(l * 100) / 100),
    openFilesLimit: Number(execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim()),
  };
}

export const commit = () => ({ commit: git('rev-parse', '--short', 'HEAD'), dirty: git('status', '--porcelain', '--', 'src', 'drizzle') !== '' });

/**
 * 8 kB writes each followed by fdatasync, for one second, in the directory that holds the
 * database: a commit waits for one such flush, and NOTIFYing commits cannot share one.
 */
export function flushesPerSecond() {
  const dir = mkdtempSync(join(tmpdir(), 'orderbell-fsync-'));
  const fd = openSync(join(dir, 'probe'), 'w');
  const block = Buffer.alloc(8192, 1);
  let n = 0;
  const t = performance.now();
  while (performance.now() - t < 1000) {
    writeSync(fd, block, 0, block.length, 0);
    fdatasyncSync(fd);
    n++;
  }
  closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
  return Math.round((n * 1000) / (performance.now() - t));
}
