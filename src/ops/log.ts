import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      redact: { paths: ['password', '*.password', 'token', '*.token', 'headers.authorization', 'headers.cookie'], censor: '[redacted]' },
    },
    // Written synchronously, as Node writes to a pipe on Linux anyway. pino's default stream hands
    // each line to libuv's thread pool: a line still queued there when the process exits (the
    // shutdown's last lines) was written after the next one, or never (tests/unit/log.test.ts).
    pino.destination({ dest: 1, sync: true }),
  );
}
