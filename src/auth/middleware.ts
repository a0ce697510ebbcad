import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import type { Role } from '../db/schema.ts';
import type { AppEnv } from '../http/env.ts';
import { Forbidden, Unauthorized } from '../http/errors.ts';

const bearer = (header: string | undefined) => header?.match(/^Bearer\s+(\S+)$/i)?.[1];

/** Reads the session from the cookie or an `Authorization: Bearer` token and refreshes the cookie. */
export const loadSession = createMiddleware<AppEnv>(async (c, next) => {
  const { auth } = c.get('deps');
  const token = bearer(c.req.header('authorization'));
  const id = token ?? getCookie(c, auth.sessionCookieName);
  c.set('user', null);
  c.set('session', null);
  if (id) {
    const { session, user } = await auth.validateSession(id);
    if (session && !token && session.fresh) c.header('Set-Cookie', auth.createSessionCookie(session.id).serialize(), { append: true });
    if (!session && !token) c.header('Set-Cookie', auth.createBlankSessionCookie().serialize(), { append: true });
    c.set('user', user);
    c.set('session', session);
  }
  await next();
});

/** Cookie-authenticated unsafe requests from another origin are refused; bearer tokens are exempt. */
const originCheck = csrf();
export const refuseCrossOrigin = createMiddleware<AppEnv>(async (c, next) => {
  if (bearer(c.req.header('authorization'))) return next();
  return originCheck(c, next);
});

/** Pages redirect a signed-out visitor to /login; the API answers 401. */
export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get('user')) {
    if (c.req.path.startsWith('/api/')) throw new Unauthorized();
    const back = c.req.method === 'GET' ? `?next=${encodeURIComponent(c.req.path)}` : '';
    return c.redirect(`/login${back}`, 303);
  }
  await next();
});

export const requireRole = (...roles: Role[]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const user = c.get('user');
    if (!user) return requireUser(c, next);
    if (!roles.includes(user.role)) throw new Forbidden(`This page is for ${roles.join(' or ')} accounts.`);
    await next();
  });
