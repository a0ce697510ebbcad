import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * A process that logs and exits at once, while libuv's thread pool is busy (a password hash, DNS,
 * file reads), as the shutdown's last lines are. An asynchronous log stream hands each line to
 * that pool: at exit the lines still queued there came after the rest, or not at all (the
 * shutdown test once read "stopped" before "closing LISTEN").
 */
const script = `
  import { pbkdf2 } from 'node:crypto';
  import { createLogger } from './src/ops/log.ts';
  const log = createLogger('info');
  pbkdf2('password', 'salt', 3_000_000, 32, 'sha256', () => {});
  log.info('first');
  log.info('second');
  process.exit(0);
`;

describe('the log', () => {
  it('has written every line, in order, when the process exits right after them', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, UV_THREADPOOL_SIZE: '1' } });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(lines).toEqual(['first', 'second']);
  });
});
