import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import { createApp } from './app.ts';
import { createAuth } from './auth/lucia.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { connect } from './db/client.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded.ts';
import { runMigrations } from './db/migrate.ts';
import { seedDemo } from './demo/seed.ts';
import { serverOptions } from './http/server-options.ts';
import { startNotifications } from './notifications/index.ts';
import { createLogger } from './ops/log.ts';
import { Drain, stopOnSignals } from './ops/shutdown.ts';

let config: Config;
try {
  config = loadConfig();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

const log = createLogger(config.LOG_LEVEL);
let embedded: EmbeddedServer | undefined;
if (!config.DATABASE_URL) embedded = await startEmbeddedPostgres(resolve(config.DATA_DIR, 'postgres'), log);
const databaseUrl = config.DATABASE_URL ?? embedded!.url;
const database = connect(databaseUrl, config.DB_POOL_MAX);
await runMigrations(database, log);
if (config.SEED_DEMO ?? !config.DATABASE_URL) await seedDemo(database.sql, log);

const auth = createAuth(database, config.NODE_ENV === 'production');
const notifications = await startNotifications(database, config, log, { url: databaseUrl });
const app = createApp({ database, config, log, auth, notifications });
const drain = new Drain(app.fetch);
const server = serve({ fetch: drain.fetch, port: config.PORT, hostname: config.HOST, serverOptions: serverOptions(config) }, (info) =>
  log.info({ port: info.port, url: `http://localhost:${info.port}` }, 'orderbell is listening'),
);

stopOnSignals({
  server,
  drain,
  log,
  drainMs: config.SHUTDOWN_DRAIN_SECONDS * 1000,
  endStreams: () => notifications.endStreams(),
  async release() {
    await notifications.close();
    await database.close();
    await embedded?.stop();
  },
});
