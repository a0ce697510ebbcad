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
