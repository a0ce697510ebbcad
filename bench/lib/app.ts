import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/db/embedded.ts';
import { sleep } from './progress.ts';

export interface AppProcess {
  pid: number;
  port: number;
  base: string;
  stop(): Promise<void>;
}

/** The app's environment in the bench; the per-customer order limit is raised so it never shapes a figure. */
export const appEnv = (databaseUrl: string, port: number, poolMax: number, heartbeatSeconds: number) => ({
  NODE_ENV: 'production',
  DATABASE_URL: databaseUrl,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  SEED_DEMO: '0',
  DB_POOL_MAX: String(poolMax),
  ORDER_RATE_LIMIT_PER_MINUTE: '1000000',
  SSE_HEARTBEAT_SECONDS: String(heartbeatSeconds),
  METRICS_TOKEN: BENCH_METRICS_TOKEN,
});

/** The bench reads the app's own /metrics, which answers only with this token. */
export const BENCH_METRICS_TOKEN = 'orderbell-bench-metrics-token';

let built = false;

/**
 * Starts the server as `npm start` runs it (the compiled `dist/src/server.js` with plain Node, built
 * once per run as `prestart` does), as its own process, and waits for /healthz. Through tsx the
 * page scenarios measured tsx's JSX and loader output, not what a shop runs.
 */
export async function startApp(databaseUrl: string, poolMax: number, heartbeatSeconds: number, extraArgs: string[] = []): Promise<AppProcess> {
  if (!built) {
    execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
    built = true;
  }
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...extraArgs, 'dist/src/server.js'], {
    env: { ...process.env, ...appEnv(databaseUrl, port, poolMax, heartbeatSeconds) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (b: Buffer) => (output = (output + b.toString()).slice(-4000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited = false;
  const exit = new Promise<void>((done) => child.once('exit', () => ((exited = true), done())));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (exited) throw new Error(`the app exited while starting:\n${output}`);
    const ok = await fetch(`${base}/healthz`).then((r) => r.ok, () => false);
    if (ok) break;
    if (i > 300) throw new Error(`the app did not answer /healthz within 30 s:\n${output}`);
    await sleep(100);
  }
  return {
    pid: child.pid!,
    port,
    base,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      await Promise.race([exit, sleep(10_000)]);
      if (!exited) child.kill('SIGKILL');
    },
  };
}
