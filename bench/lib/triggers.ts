import type { Db } from '../../src/db/client.ts';

/**
 * The notification triggers: the user-defined triggers on seller_orders that insert notifications
 * and NOTIFY. The stats rollup's triggers (store_day_figures_*, decision 018) stay on, so that
 * the figures stay true whatever a scenario switches off.
 */
export async function notifyTriggers(sql: Db) {
  const rows = await sql<{ name: string }[]>`
    select tgname as name from pg_trigger
    where tgrelid = 'seller_orders'::regclass and not tgisinternal and tgname like '%notify%' order by tgname`;
  return rows.map((r) => r.name);
}

export async function setNotifyTriggers(sql: Db, on: boolean) {
  for (const name of await notifyTriggers(sql)) await sql.unsafe(`alter table seller_orders ${on ? 'enable' : 'disable'} trigger ${name}`);
}
