import { serve } from '@hono/node-server';
import { resolve } from 'node:path';
import { createApp } from './app.ts';
import { createAuth } from './auth/lucia.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { connect } from './db/client.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from './db/embedded.ts';
import { runMigrations } from './db/migrate.ts';
import { seedDemo } from './db/seed.ts';
import { serverOptions } from './http/server-options.ts';
import { startNotifications } from './notifications/index.ts';
import { createLogger } from './ops/log.ts';

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
if (config.SEED_DEMO ?? !config.DATABASE_URL) await seedDemo(database.db, log);

const auth = createAuth(database.db, config.NODE_ENV === 'production');
const notifications = await startNotifications(database, config, log, { url: databaseUrl });
const app = createApp({ database, config, log, auth, notifications });
const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST, serverOptions: serverOptions(config) }, (info) =>
  log.info({ port: info.port, url: `http://localhost:${info.port}` }, 'orderbell is listening'),
);

let stopping = false;
/** Stop accepting, end the streams with a retry hint (clients come back to another process), close LISTEN and the pool. */
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal, streams: notifications.hub.streamCount }, 'shutting down');
  const hardStop = setTimeout(() => process.exit(1), 9000);
  hardStop.unref();
  const closed = new Promise<void>((done) => server.close(() => done()));
  notifications.endStreams();
  // Keep-alive connections go as soon as their last request in flight has been answered.
  const closeIdle = setInterval(() => (server as unknown as { closeIdleConnections?: () => void }).closeIdleConnections?.(), 50);
  await closed;
  clearInterval(closeIdle);
  await notifications.close();
  await database.close();
  await embedded?.stop();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
