import type { Db } from '../../src/db/client.ts';

/** The notification triggers: every user-defined trigger on seller_orders (their inserts and NOTIFYs). */
export async function notifyTriggers(sql: Db) {
  const rows = await sql<{ name: string }[]>`
    select tgname as name from pg_trigger where tgrelid = 'seller_orders'::regclass and not tgisinternal order by tgname`;
  return rows.map((r) => r.name);
}

export async function setNotifyTriggers(sql: Db, on: boolean) {
  await sql.unsafe(`alter table seller_orders ${on ? 'enable' : 'disable'} trigger user`);
}
