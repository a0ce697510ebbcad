import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';
import type { Logger } from '../ops/log.ts';

export const migrationsFolder = fileURLToPath(new URL('../../drizzle', import.meta.url));

/** Applies pending drizzle migrations, logging how many there were and which remain. */
export async function runMigrations({ db, sql }: Database, log?: Logger) {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: { tag: string }[] };
  const applied = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`.then(
    (r) => r[0]!.n as number,
    () => 0,
  );
  const pending = journal.entries.slice(applied).map((e) => e.tag);
  log?.info({ applied, pending }, pending.length ? `applying ${pending.length} migration(s)` : 'database schema up to date');
  const started = Date.now();
  await migrate(db, { migrationsFolder });
  if (pending.length) log?.info({ ms: Date.now() - started }, 'migrations applied');
}
