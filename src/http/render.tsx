import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import { Layout } from '../../views/layout.tsx';
import type { AppEnv, SignedInEnv } from '../env.ts';

/** Any app context, before or behind a guard. */
type C = Context<AppEnv> | Context<SignedInEnv>;

/** An htmx request that targets part of the page gets the fragment; anything else the whole page. */
export const isPartial = (c: C) =>
  c.req.header('HX-Request') === 'true' && c.req.header('HX-History-Restore-Request') !== 'true' && c.req.header('HX-Request-Type') !== 'full';

const FLASH = 'ob_flash';

/** A one-time message shown on the next page (after a redirect). */
export const setFlash = (c: C, message: string) =>
  setCookie(c, FLASH, encodeURIComponent(message), { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 60 });

export async function page(c: C, title: string, body: Child, status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503 = 200) {
  const user = c.var.user;
  const flash = getCookie(c, FLASH);
  if (flash) deleteCookie(c, FLASH, { path: '/' });
  // A page still renders when the counts cannot be read (the database is briefly away).
  const counts = (await c.var.navCounts?.().catch(() => null)) ?? { cart: 0, unread: 0 };
  return c.html(
    <Layout
      title={title}
      viewer={user && { name: user.name, role: user.role }}
      flash={flash ? decodeURIComponent(flash) : null}
      cartCount={counts.cart}
      unread={counts.unread}
    >
      {body}
    </Layout>,
    status,
  );
}

/** Renders the fragment for htmx and the whole page otherwise, from the same component. */
export const respond = (c: C, title: string, body: Child, status?: Parameters<typeof page>[3]) =>
  isPartial(c) ? c.html(<>{body}</>, status ?? 200) : page(c, title, body, status);
