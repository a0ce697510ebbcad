import { Hono } from 'hono';
import { z } from 'zod';
import { createMiddleware } from 'hono/factory';
import { requireUser } from '../auth/middleware.ts';
import { formBody, jsonBody, localPath } from '../http/body.ts';
import type { AppEnv } from '../http/env.ts';
import { Unauthorized } from '../http/errors.ts';
import { setFlash } from '../http/render.tsx';
import { parse } from '../http/validate.ts';
import { jsonFormat, pageFormat } from './formats.ts';
import { markRead } from './store.ts';
import { openStream } from './streams.ts';

const upTo = z.coerce.number({ error: 'A notification id (a whole number).' }).int('A whole number.').positive('Must be 1 or more.').max(Number.MAX_SAFE_INTEGER);
const apiRead = z.object({ upTo });
const formRead = z.object({ upTo: upTo.optional(), next: z.string().optional() });

/** An event stream answers 401 when signed out (a redirect to /login would be followed and swapped). */
const streamUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get('user')) throw new Unauthorized();
  await next();
});

export const notificationRoutes = new Hono<AppEnv>()
  .get('/api/events', streamUser, (c) => openStream(c, jsonFormat))
  // Pages connect here (public/live.js, one stream per browser): HTML fragments for htmx to swap.
  .get('/events', streamUser, (c) => openStream(c, pageFormat(c.get('deps'))))
  .post('/api/notifications/read', requireUser, async (c) => {
    const input = parse(apiRead, await jsonBody(c));
    const marked = await markRead(c.get('deps').database.sql, c.get('user')!.id, input.upTo);
    return c.json({ marked });
  })
  // "Mark all read" without JavaScript: marks up to the newest id the page showed (or all), then goes back.
  .post('/notifications/read', requireUser, async (c) => {
    const fields = await formBody(c);
    const input = parse(formRead, { upTo: fields.upTo || undefined, next: fields.next || undefined });
    const marked = await markRead(c.get('deps').database.sql, c.get('user')!.id, input.upTo);
    setFlash(c, marked === 1 ? '1 notification marked read.' : `${marked} notifications marked read.`);
    return c.redirect(localPath(input.next, '/'), 303);
  })
  .get('/metrics', async (c) => {
    const { registry } = c.get('deps').notifications.metrics;
    return c.body(await registry.metrics(), 200, { 'Content-Type': registry.contentType });
  });
