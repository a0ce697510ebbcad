import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database, Pool } from './client.ts';
import type { Logger } from '../ops/log.ts';

/** The nearest folder with a package.json: the project root, from src/db/ (tsx) as from dist/src/db/ (compiled). */
function projectRoot(from: string): string {
  if (existsSync(join(from, 'package.json'))) return from;
  if (dirname(from) === from) throw new Error('no package.json above the migrations module');
  return projectRoot(dirname(from));
}

export const migrationsFolder = join(projectRoot(dirname(fileURLToPath(import.meta.url))), 'drizzle');
/** The current definition of each SQL function the database runs, one `<name>.sql` each (docs/decisions/013). */
export const functionsFolder = join(migrationsFolder, 'functions');

/** Each function file's name (without .sql) and its `CREATE OR REPLACE FUNCTION` statement. */
export function functionFiles(): { name: string; sql: string }[] {
  return readdirSync(functionsFolder)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.sql'.length), sql: readFileSync(join(functionsFolder, f), 'utf8') }));
}

/**
 * Applies pending drizzle migrations, then every function file, logging how many migrations there
 * were and which remain. The files are applied at every start (they are idempotent), so the
 * database runs what drizzle/functions/ says, whatever older definitions the migrations hold.
 */
export async function runMigrations({ orm, sql }: Database, log?: Logger) {
  const journal = JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: { tag: string }[] };
  const applied = await sql`select count(*)::int as n from drizzle.__drizzle_migrations`.then(
    (r) => r[0]!.n as number,
    () => 0,
  );
  const pending = journal.entries.slice(applied).map((e) => e.tag);
  log?.info({ applied, pending }, pending.length ? `applying ${pending.length} migration(s)` : 'database schema up to date');
  const started = Date.now();
  await migrate(orm, { migrationsFolder });
  if (pending.length) log?.info({ ms: Date.now() - started }, 'migrations applied');
  await applyFunctions(sql);
}

async function applyFunctions(sql: Pool) {
  await sql.begin(async (tx) => {
    // Processes starting together would otherwise replace the same pg_proc rows at once
    // ("tuple concurrently updated"); one at a time, the later ones rewrite the same text.
    await tx`select pg_advisory_xact_lock(hashtext('orderbell:functions'))`;
    for (const { sql: statement } of functionFiles()) await tx.unsafe(statement);
  });
}
