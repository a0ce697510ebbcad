import { afterAll, beforeAll } from 'vitest';
import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../src/app.ts';
import { createAuth } from '../../src/auth/lucia.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { connect, type Database } from '../../src/db/client.ts';
import type { Deps } from '../../src/env.ts';
import { startNotifications } from '../../src/notifications/index.ts';
import { createLogger } from '../../src/ops/log.ts';
import { freshDatabase } from './db.ts';

export interface TestApp {
  app: App;
  deps: Deps;
  database: Database;
  url: string;
  close(): Promise<void>;
}

/** The real app over a fresh database; `env` overrides configuration for this file. */
export async function testApp(env: Record<string, string> = {}, opts: InstanceOptions = {}): Promise<TestApp> {
  const { url, database } = await freshDatabase();
  return build(url, database, env, opts);
}

export interface InstanceOptions {
  maxUnsentBytes?: number;
}

/** Another app process on the same database (its own pool, hub and LISTEN connection). */
export function instanceOn(url: string, env: Record<string, string> = {}, opts: InstanceOptions = {}): Promise<TestApp> {
  return build(url, connect(url, 10), env, opts);
}

async function build(url: string, database: Database, env: Record<string, string>, opts: InstanceOptions): Promise<TestApp> {
  const config: Config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', ...env });
  const log = createLogger(config.LOG_LEVEL);
  const notifications = await startNotifications(database, config, log, { url, ...opts });
  const deps: Deps = { database, config, log, auth: createAuth(database, config.NODE_ENV === 'production'), notifications };
  const app = createApp(deps);
  return {
    app,
    deps,
    database,
    url,
    close: async () => {
      await notifications.close();
      await database.close();
    },
  };
}

/** Serves the app on a real port for SSE and browser tests. */
export async function listen(app: App): Promise<{ origin: string; server: ServerType; close(): Promise<void> }> {
  const server = await new Promise<ServerType>((done) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => done(s));
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    close: () =>
      new Promise<void>((done) => {
        (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
        server.close(() => done());
      }),
  };
}

export interface ServedApp {
  t: TestApp;
  server: Awaited<ReturnType<typeof listen>>;
}

/** For a suite: the app over a fresh database, served on a real port; both closed after the suite. */
export function servedApp(env: Record<string, string> = {}): ServedApp {
  const suite = {} as ServedApp;
  beforeAll(async () => {
    suite.t = await testApp(env);
    suite.server = await listen(suite.t.app);
  });
  afterAll(async () => {
    await suite.server?.close();
    await suite.t?.close();
  });
  return suite;
}
