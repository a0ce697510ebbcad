import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from '../../src/app.ts';
import { createAuth } from '../../src/auth/lucia.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Database } from '../../src/db/client.ts';
import type { Deps } from '../../src/http/env.ts';
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
export async function testApp(env: Record<string, string> = {}): Promise<TestApp> {
  const { url, database } = await freshDatabase();
  const config: Config = loadConfig({ NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent', ...env });
  const deps: Deps = { database, config, log: createLogger(config.LOG_LEVEL), auth: createAuth(database.db, false) };
  const app = createApp(deps);
  return { app, deps, database, url, close: () => database.close() };
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
