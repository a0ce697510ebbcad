import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { AppEnv, SignedInEnv } from '../env.ts';

/**
 * Whether this GET is a navigation the user made on this site (a link on our own pages, or an
 * address typed or bookmarked), as opposed to a link or a request from another site. Only then may
 * opening a page change something (mark an order seen or read). Browsers say so in Sec-Fetch-Site
 * (`same-origin`, or `none` for a typed address or bookmark). A request without it does not come
 * from a current browser (all have sent it since 2023) but from a script or API client acting for
 * itself; it counts as its own unless it names another site as its Referer.
 */
export function isOwnNavigation(c: Context<AppEnv> | Context<SignedInEnv>): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const referer = c.req.header('referer');
  if (!referer) return true;
  try {
    return new URL(referer).origin === new URL(c.req.url).origin;
  } catch {
    return false;
  }
}

/**
 * The client's address for throttling. With TRUST_PROXY=n the n-th address from the right of
 * X-Forwarded-For (what the outermost of our n proxies saw; entries further left are whatever the
 * client claimed); otherwise the socket's peer, and the header is ignored because anyone can send it.
 */
export function clientAddress(c: Context<AppEnv> | Context<SignedInEnv>): string {
  const hops = c.var.deps.config.TRUST_PROXY;
  if (hops > 0) {
    const chain = (c.req.header('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    const seen = chain[chain.length - hops];
    if (seen) return seen.toLowerCase();
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}
