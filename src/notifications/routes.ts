import { Hono } from 'hono';
import { z } from 'zod';
import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import { requireUser, signInUrl } from '../auth/middleware.ts';
import { formBody, jsonBody } from '../http/body.ts';
import { safeRedirect } from '../http/redirect.ts';
import type { User } from '../auth/lucia.ts';
import type { AppEnv, SignedInEnv } from '../env.ts';
import { setFlash } from '../http/render.tsx';
import { idSchema } from '../http/numbers.ts';
import { parse } from '../http/validate.ts';
import { jsonFormat } from './formats.ts';
import { markRead } from './store.ts';
import { openStream } from './streams.ts';

const upTo = idSchema('int8', 'A notification id (a whole number from 1).');
const apiRead = z.object({ upTo });
const formRead = z.object({ upTo: upTo.optional(), next: z.string().optional() });

/**
 * An event stream answers 401 when signed out (a redirect to /login would be followed and
 * swapped), and only then, so a page's script can tell "signed out" from a server away: the
 * body says whether a session was sent but has ended (`session_ended`: signed out elsewhere or
 * expired) or none was sent (`unauthorized`), and where to sign in to come back to the page.
 * No HX-Redirect here: the page says it is signed out instead of leaving on its own.
 */
export const streamUser = createMiddleware<SignedInEnv>(async (c, next) => {
  // Declared as the guarantee this guard gives (like requireUser); checked here, where it may be null.
  const user: User | null = c.get('user');
  if (user) return next();
  const { auth } = c.get('deps');
  const ended = Boolean(c.req.header('authorization') || getCookie(c, auth.sessionCookieName));
  const error = ended
    ? { code: 'session_ended', message: 'Your session has ended: you are signed out. Sign in again to see new orders.' }
    : { code: 'unauthorized', message: 'Sign in to continue.' };
  return c.json({ error: { ...error, signIn: signInUrl(c) } }, 401, { 'Cache-Control': 'no-store' });
});

export const notificationRoutes = new Hono<AppEnv>()
  .get('/api/events', streamUser, (c) => openStream(c, jsonFormat))
  .post('/api/notifications/read', requireUser, async (c) => {
    const input = parse(apiRead, await jsonBody(c));
    const marked = await markRead(c.get('deps').database.sql, c.get('user').id, input.upTo);
    return c.json({ marked });
  })
  // "Mark all read" without JavaScript: marks up to the newest id the page showed (or all), then goes back.
  .post('/notifications/read', requireUser, async (c) => {
    const fields = await formBody(c);
    const input = parse(formRead, { upTo: fields.upTo || undefined, next: fields.next || undefined });
    const marked = await markRead(c.get('deps').database.sql, c.get('user').id, input.upTo);
    setFlash(c, marked === 1 ? '1 notification marked read.' : `${marked} notifications marked read.`);
    return c.redirect(safeRedirect(input.next, '/'), 303);
  });
