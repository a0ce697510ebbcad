import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';

export const healthRoutes = new Hono<AppEnv>()
  .get('/healthz', (c) => c.json({ status: 'ok' }))
  .get('/readyz', async (c) => {
    const { database, notifications } = c.get('deps');
    const db = await Promise.race([
      database.sql`select 1`.then(() => true, () => false),
      new Promise<boolean>((r) => setTimeout(() => r(false), 2000)),
    ]);
    const checks = { database: db, listen: notifications.listener.listening };
    const ready = Object.values(checks).every(Boolean);
    return c.json({ status: ready ? 'ready' : 'not ready', checks }, ready ? 200 : 503);
  });
