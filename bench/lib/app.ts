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

/**
 * Compiles the app as `npm start` does (`npm run build`: dist/, incremental). The bench measures
 * what production runs: through tsx (esbuild with keepNames) every closure the app creates gets
 * its name set at run time, which cost 2.2 KiB of heap per open event stream, 43 MiB at start, and
 * CPU per request (decision 020).
 */
export function buildApp() {
  execFileSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit' });
}

/** Starts the compiled `dist/src/server.js` (see `buildApp`) as its own Node process, as in production, and waits for /healthz. */
export async function startApp(databaseUrl: string, poolMax: number, heartbeatSeconds: number, extraArgs: string[] = []): Promise<AppProcess> {
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
