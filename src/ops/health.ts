import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';

export const healthRoutes = new Hono<AppEnv>()
  .get('/healthz', (c) => c.json({ status: 'ok' }))
  .get('/readyz', async (c) => {
    const { database, notifications } = c.get('deps');
    const within2s = (check: Promise<boolean>) => Promise.race([check, new Promise<boolean>((r) => setTimeout(() => r(false), 2000))]);
    const [db, listen] = await Promise.all([
      within2s(database.sql`select 1`.then(() => true, () => false)),
      within2s(notifications.listener.check()),
    ]);
    const checks = { database: db, listen };
    const ready = Object.values(checks).every(Boolean);
    return c.json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
  });
