import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../env.ts';
import { AppError, NotFound } from '../http/errors.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * /metrics shows versions, memory and order volume: only to a scraper holding METRICS_TOKEN.
 * Unset, the route does not exist (404); a wrong or missing token is 401.
 */
function requireMetricsToken(c: Context<AppEnv>) {
  const token = c.get('deps').config.METRICS_TOKEN;
  if (!token) throw new NotFound('There is nothing at this address.');
  const sent = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? '';
  // Compared as digests: equal lengths, and no timing that tells how much of the token matched.
  if (!timingSafeEqual(digest(sent), digest(token))) {
    throw new AppError(401, 'unauthorized', 'Send Authorization: Bearer <METRICS_TOKEN>.', undefined, { 'WWW-Authenticate': 'Bearer realm="metrics"' });
  }
}

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
  })
  .get('/metrics', async (c) => {
    requireMetricsToken(c);
    const { registry } = c.get('deps').notifications.metrics;
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType, 'Cache-Control': 'no-store' });
  });
