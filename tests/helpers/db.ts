import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { connect, type Database } from '../../src/db/client.ts';
import { TEMPLATE, withDatabase } from './global-setup.ts';

/** A fresh database for one test file, copied from the migrated template. */
export async function freshDatabase(): Promise<{ url: string; database: Database }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = connect(adminUrl, 1);
  // CREATE DATABASE ... TEMPLATE needs the template to have no other sessions: retry briefly.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.sql.unsafe(`create database ${name} template ${TEMPLATE}`);
      break;
    } catch (e) {
      if (attempt > 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await admin.close();
  const url = withDatabase(adminUrl, name);
  return { url, database: connect(url, 10) };
}

/**
 * Holds every new LISTEN connection of the app (application_name orderbell-listener-*) at login
 * for `seconds`, with a login event trigger on this database: after its LISTEN is killed, a
 * process stays without one (and /readyz says so) for that long. Call the result to stop.
 */
export async function holdListenerLogins(sql: Database['sql'], seconds: number): Promise<() => Promise<void>> {
  await sql.unsafe(`
    create function hold_listener_login() returns event_trigger language plpgsql as $$
    begin
      if current_setting('application_name') like 'orderbell-listener-%' then perform pg_sleep(${Number(seconds)}); end if;
    end $$;
    create event trigger hold_listener on login execute function hold_listener_login();`);
  return async () => void (await sql.unsafe('drop event trigger hold_listener; drop function hold_listener_login();'));
}
