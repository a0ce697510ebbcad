import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';

/** One structured line per request, with its id; never the query string (it may hold tokens). */
export const requestLog = createMiddleware<AppEnv>(async (c, next) => {
  const started = performance.now();
  await next();
  const { log } = c.get('deps');
  const ms = Math.round((performance.now() - started) * 10) / 10;
  const status = c.res.status;
  const line = { reqId: c.get('requestId'), method: c.req.method, path: c.req.path, status, ms, user: c.get('user')?.id };
  if (status >= 500) log.error(line, 'request failed');
  else log.info(line, 'request');
});
