import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from '../../src/db/embedded.ts';

export interface AppProcess {
  origin: string;
  child: ChildProcess;
  output: () => string;
  /** Resolves with the exit code (or signal) once the process has ended. */
  exited: Promise<number | string>;
}

const baseEnv = (port: number, env: Record<string, string>) => ({
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'warn',
  SEED_DEMO: '0',
  PORT: String(port),
  HOST: '127.0.0.1',
  ...env,
});

/** Starts src/server.ts through tsx's loader as a separate process (node itself gets the signals), and waits until it is ready. */
export async function startAppProcess(env: Record<string, string>, port?: number): Promise<AppProcess> {
  port ??= await freePort();
  return untilReady(spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { env: baseEnv(port, env), stdio: ['ignore', 'pipe', 'pipe'] }), port, 90_000);
}

/**
 * `npm start` exactly as the README says, in a process group of its own as a shell job or a
 * service has (the child's pid is the group's id). Its prestart compiles what changed first.
 */
export async function startWithNpm(env: Record<string, string>, port?: number): Promise<AppProcess> {
  port ??= await freePort();
  return untilReady(spawn('npm', ['start'], { env: baseEnv(port, env), stdio: ['ignore', 'pipe', 'pipe'], detached: true }), port, 180_000);
}

/**
 * App processes still running when the test process ends (a test that failed before its own
 * clean-up) are killed with it, with their process groups, so that they do not outlive the run.
 */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) {
    try {
      if (child.spawnargs[0] === 'npm') process.kill(-child.pid!, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
});

async function untilReady(child: ChildProcess, port: number, within: number): Promise<AppProcess> {
  running.add(child);
  child.once('exit', () => running.delete(child));
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | string>((done) => child.once('exit', (code, signal) => done(code ?? signal ?? -1)));
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + within;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`app exited during start:\n${out}`);
    const ready = await fetch(`${origin}/readyz`).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`app not ready within ${within / 1000} s:\n${out}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { origin, child, output: () => out, exited };
}

/** Whether any process of the group is left (a zombie counts until its parent reaps it). */
export function groupAlive(pgid: number) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
