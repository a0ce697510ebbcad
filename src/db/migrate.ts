import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './client.ts';
import type { Logger } from '../ops/log.ts';

/** The nearest folder with a package.json: the project root, from src/db/ (tsx) as from dist/src/db/ (compiled). */
function projectRoot(from: string): string {
  if (existsSync(join(from, 'package.json'))) return from;
  if (dirname(from) === from) throw new Error('no package.json above the migrations module');
  return projectRoot(dirname(from));
}

export const migrationsFolder = join(projectRoot(dirname(fileURLToPath(import.meta.url))), 'drizzle');

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
