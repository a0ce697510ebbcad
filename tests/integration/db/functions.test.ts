import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Db } from '../../../src/db/client.ts';
import { functionFiles, runMigrations } from '../../../src/db/migrate.ts';
import { freshDatabase } from '../../helpers/db.ts';

/** drizzle/functions/ is the one current copy of each SQL function the database runs (docs/decisions/013). */
let database: Database;
beforeAll(async () => {
  ({ database } = await freshDatabase());
});
afterAll(() => database.close());

const SCRATCH = 'function_file_check';

/** Our functions in `schema` (pg_trgm's, installed there too, belong to the extension and are left out). */
const functionsIn = (sql: Db, schema: string) =>
  sql<{ name: string; definition: string }[]>`
    select p.proname as name, pg_get_functiondef(p.oid) as definition
    from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = ${schema}
      and not exists (select 1 from pg_depend d where d.classid = 'pg_proc'::regclass and d.objid = p.oid and d.deptype = 'e')
    order by p.proname, p.oid`;

/** What each file defines, as the database prints it: the file run in a scratch schema, rolled back. */
async function definedByFiles(db: Database) {
  const defined = new Map<string, string>();
  await db.sql
    .begin(async (tx) => {
      await tx.unsafe(`create schema ${SCRATCH}`);
      await tx.unsafe(`set local search_path = ${SCRATCH}, public`);
      for (const file of functionFiles()) await tx.unsafe(file.sql);
      for (const f of await functionsIn(tx, SCRATCH)) defined.set(f.name, f.definition.replace(`FUNCTION ${SCRATCH}.`, 'FUNCTION public.'));
      throw new Rollback();
    })
    .catch((e) => {
      if (!(e instanceof Rollback)) throw e;
    });
  return defined;
}
class Rollback extends Error {}

describe('SQL functions', () => {
  it('every function in the database has a file of its name, and every file defines exactly that one function', async () => {
    const files = functionFiles();
    expect(files.length).toBeGreaterThan(0);
    const live = await functionsIn(database.sql, 'public');
    // No overloads: a changed argument list in a file would add a second function beside the old one.
    expect(live.map((f) => f.name)).toEqual(files.map((f) => f.name));
    const defined = await definedByFiles(database);
    expect([...defined.keys()]).toEqual(files.map((f) => f.name));
  });

  it("the database's definition of each function equals its file, also after a start that finds one changed", async () => {
    const expected = await definedByFiles(database);
    const current = async () => new Map((await functionsIn(database.sql, 'public')).map((f) => [f.name, f.definition]));
    expect(await current()).toEqual(expected);

    // A definition changed outside the files (by hand, or by a migration that redefines a function)...
    await database.sql.unsafe(`create or replace function orderbell_lock_recipients(p_order_id bigint) returns void language plpgsql as $$ begin end $$`);
    expect((await current()).get('orderbell_lock_recipients')).not.toBe(expected.get('orderbell_lock_recipients'));
    // ...is put back by the next start, which runs the migrations again (nothing pending).
    await runMigrations(database);
    expect(await current()).toEqual(expected);
  });
});
