import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../env.ts';

// The catalog is the same for everyone; every other API answer is about the caller.
const PUBLIC_API = new Set(['/api/products']);

/**
 * `Cache-Control: no-store` on everything a signed-in visitor gets, on API answers with personal
 * data and on answers that set a cookie, so that neither a shared cache nor the browser's back
 * button shows one person's orders to the next user of the machine. A route that set its own
 * Cache-Control keeps it.
 */
export const noStore = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.headers.has('cache-control')) return;
  const personal =
    c.get('user') !== null ||
    (c.req.path.startsWith('/api/') && !PUBLIC_API.has(c.req.path)) ||
    c.res.headers.has('set-cookie');
  if (personal) c.res.headers.set('Cache-Control', 'no-store');
});
