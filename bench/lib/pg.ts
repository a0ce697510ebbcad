import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type Database } from '../../src/db/client.ts';
import { startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { runMigrations } from '../../src/db/migrate.ts';

/**
 * Settings changed from PostgreSQL's defaults for the run (durability is left as shipped:
 * fsync and synchronous_commit stay on, since commit flushes are what NOTIFY serialises).
 * shared_buffers holds the 100,000-order data set in memory; track_commit_timestamp gives each
 * order's true commit time, the start of the notification latency.
 */
export const POSTGRES_TUNING: Record<string, string> = { shared_buffers: '1GB', track_commit_timestamp: 'on' };

export interface BenchDatabase {
  url: string;
  dir: string;
  /** PostgreSQL's data directory (holds postmaster.pid). */
  dataDir: string;
  version: string;
  db: Database;
  stop(): Promise<void>;
}

/** A throwaway embedded PostgreSQL, tuned (plus `settings`, e.g. wal_level), migrated, removed on stop. */
export async function startDatabase(settings: Record<string, string> = {}): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'orderbell-bench-'));
  chmodSync(dir, 0o755);
  const server = await startEmbeddedPostgres(join(dir, 'pg'));
  const admin = connect(server.url, 1);
  for (const [name, value] of Object.entries({ ...POSTGRES_TUNING, ...settings })) await admin.sql.unsafe(`alter system set ${name} = '${value}'`);
  await admin.close();
  await server.stop();
  await server.start();
  const db = connect(server.url, 20);
  await runMigrations(db);
  const [{ version }] = await db.sql<[{ version: string }]>`select version()`;
  let stopped = false;
  return {
    url: server.url,
    dir,
    dataDir: join(dir, 'pg'),
    version,
    db,
    async stop() {
      if (stopped) return;
      stopped = true;
      await db.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
