import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema.ts';

/**
 * Where every query runs (docs/decisions/013): a postgres.js tagged template. The pool and a
 * transaction (`pool.begin(tx => ...)`) both are one, so a query function takes `Db` and is
 * called the same way in or out of a transaction, without a cast.
 */
export type Db = postgres.ISql;
/** The pool: only code that opens a transaction, reserves a connection, listens or closes needs it. */
export type Pool = postgres.Sql;
/** drizzle over the same pool, for lucia's adapter and the migrator only; queries do not go through it. */
export type Orm = PostgresJsDatabase<typeof schema>;

export interface Database {
  sql: Pool;
  orm: Orm;
  close(): Promise<void>;
}

/** `debug` sees every query with its parameters (the bench reads the order transaction's SQL from it). */
export function connect(url: string, max = 10, debug?: (connection: number, query: string, parameters: unknown[]) => void): Database {
  const sql = postgres(url, {
    max,
    ...(debug && { debug }),
    onnotice: () => {},
    // Fail fast while the database is down instead of queueing requests for long.
    connect_timeout: 5,
    idle_timeout: 60,
  });
  // drizzle's driver changes this pool's types: timestamps come back as text (the queries' row
  // types say `string | Date` where they read one, and convert), and json/jsonb parameters are
  // sent as given, so queries pass `${JSON.stringify(value)}::jsonb` (without drizzle, postgres.js
  // would encode that string a second time). Every query is written for this pool.
  const orm = drizzle(sql, { schema });
  return { sql, orm, close: () => sql.end({ timeout: 5 }) };
}
