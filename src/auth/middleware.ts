import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { getCookie } from 'hono/cookie';
import { csrf } from 'hono/csrf';
import type { Role } from '../db/schema.ts';
import type { AppEnv } from '../env.ts';
import type { Session, User } from './lucia.ts';
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

/** A same-site address as path and query, or undefined (another site, or not a URL). */
function sameSitePath(address: string | undefined, requestUrl: string) {
  if (!address) return undefined;
  try {
    const url = new URL(address, requestUrl);
    return url.host === new URL(requestUrl).host ? url.pathname + url.search : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The sign-in page, returning afterwards to the page the visitor was on, with its whole path and
 * query: for htmx requests and event streams the page that made them (HX-Current-URL), for a
 * plain GET the address itself, for a plain form post the page that holds the form (Referer).
 */
export function signInUrl(c: Context) {
  const own = new URL(c.req.url);
  const page =
    c.req.header('HX-Request') === 'true'
      ? sameSitePath(c.req.header('HX-Current-URL') ?? c.req.header('referer'), c.req.url)
      : c.req.method === 'GET'
        ? own.pathname + own.search
        : sameSitePath(c.req.header('referer'), c.req.url);
  return page && page !== '/login' ? `/login?next=${encodeURIComponent(page)}` : '/login';
}

/**
 * Pages redirect a signed-out visitor to /login; the API answers 401. An htmx request gets
 * `HX-Redirect` instead of a redirect that fetch would follow, so that the sign-in page replaces
 * the whole page rather than being swapped into a fragment.
 */
/** What a handler behind a guard may rely on: `c.get('user')` is a `User`, never null. */
type SignedIn = { Variables: { user: User; session: Session } };

const guard = (roles?: readonly Role[]) =>
  createMiddleware<SignedIn>(async (c, next) => {
    // Declared as the guarantee the guard gives; checked here, where it may still be null.
    const user: User | null = c.get('user');
    if (!user) {
      if (c.req.path.startsWith('/api/')) throw new Unauthorized();
      if (c.req.header('HX-Request') === 'true') return c.body(null, 401, { 'HX-Redirect': signInUrl(c) });
      return c.redirect(signInUrl(c), 303);
    }
    if (roles && !roles.includes(user.role)) throw new Forbidden(`This page is for ${roles.join(' or ')} accounts.`);
    await next();
  });

export const requireUser = guard();
export const requireRole = (...roles: Role[]) => guard(roles);
