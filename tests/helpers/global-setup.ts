import { mkdtempSync, rmSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { connect } from '../../src/db/client.ts';
import { startEmbeddedPostgres, type EmbeddedServer } from '../../src/db/embedded.ts';
import { runMigrations } from '../../src/db/migrate.ts';

export const TEMPLATE = 'orderbell_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}

let server: EmbeddedServer | undefined;
let dir: string | undefined;

/** One throwaway Postgres for the run (or TEST_DATABASE_URL) and a migrated template database. */
export async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dir = mkdtempSync(join(tmpdir(), 'orderbell-test-'));
    chmodSync(dir, 0o755);
    server = await startEmbeddedPostgres(join(dir, 'pg'));
    adminUrl = server.url;
  }
  const admin = connect(adminUrl, 1);
  await admin.sql.unsafe(`drop database if exists ${TEMPLATE}`);
  await admin.sql.unsafe(`create database ${TEMPLATE}`);
  await admin.close();
  const template = connect(withDatabase(adminUrl, TEMPLATE), 1);
  await runMigrations(template);
  await template.close();
  project.provide('pgAdminUrl', adminUrl);
}

export async function teardown() {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
}

export function withDatabase(url: string, name: string) {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}
