import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { Role } from '../src/db/schema.ts';

export interface Viewer {
  name: string;
  role: Role;
}

export interface LayoutProps {
  title: string;
  viewer: Viewer | null;
  flash?: string | null;
  cartCount?: number;
  unread?: number;
  children: Child;
}

// Only this extension may register: upsert puts a new order's row in place (public/live.js, not
// htmx's SSE extension, holds the event stream: one per browser).
const htmxConfig = JSON.stringify({ extensions: 'upsert', includeIndicatorCSS: false });

export const CartCount = ({ count }: { count: number }) => (
  <span id="cart-count" class="count" aria-label={`${count} item(s) in cart`}>
    {count}
  </span>
);

export const UnreadBadge = ({ count }: { count: number }) => (
  <span id="unread-badge" class={count ? 'badge' : 'badge empty'} data-unread={count} aria-label={`${count} unread`}>
    {count || ''}
  </span>
);

function Nav({ viewer, cartCount = 0, unread = 0 }: Pick<LayoutProps, 'viewer' | 'cartCount' | 'unread'>) {
  if (!viewer)
    return (
      <>
        <a href="/">Shop</a>
        <a href="/login">Sign in</a>
        <a href="/signup">Sign up</a>
      </>
    );
  return (
    <>
      {viewer.role === 'customer' && (
        <>
          <a href="/">Shop</a>
          <a href="/cart">
            Cart <CartCount count={cartCount} />
          </a>
          <a href="/orders">My orders</a>
        </>
      )}
      {viewer.role === 'seller' && (
        <a href="/seller">
          Orders <UnreadBadge count={unread} />
        </a>
      )}
      {viewer.role === 'admin' && (
        <>
          <a href="/admin/orders">Orders</a>
          <a href="/admin/stores">Stores</a>
          <a href="/admin/stats">Stats</a>
          <a href="/admin/delivery">Delivery</a>
          <a href="/admin/outbox">Email outbox</a>
        </>
      )}
      <span class="who">{viewer.name}</span>
      <form method="post" action="/logout" class="inline">
        <button type="submit" class="link">Sign out</button>
      </form>
    </>
  );
}

export function Layout(props: LayoutProps) {
  // The count leads the tab title where the badge is shown (sellers); public/app.js keeps it in step live.
  const unread = props.viewer?.role === 'seller' ? props.unread : 0;
  const title = unread ? `(${unread}) ${props.title} · Orderbell` : `${props.title} · Orderbell`;
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <meta name="htmx-config" content={htmxConfig} />
          <title>{title}</title>
          {['base', 'shop', 'seller', 'admin', 'live'].map((name) => (
            <link rel="stylesheet" href={`/public/css/${name}.css`} />
          ))}
        </head>
        <body>
          <a class="skip" href="#main">Skip to content</a>
          <header class="top">
            <a class="brand" href="/">
              Orderbell
            </a>
            <nav aria-label="Main">
              <Nav viewer={props.viewer} cartCount={props.cartCount} unread={props.unread} />
            </nav>
          </header>
          <main id="main">
            <div id="flash" role="status" aria-live="polite">
              {props.flash && <p class="flash">{props.flash}</p>}
            </div>
            {props.children}
          </main>
          {/* Blocking scripts at the end of the body, not `defer` in the head: see docs/decisions/011. */}
          <script src="/public/htmx/htmx.min.js"></script>
          <script src="/public/htmx/ext/hx-upsert.min.js"></script>
          <script src="/public/app.js"></script>
          <script src="/public/live.js"></script>
        </body>
      </html>
    </>
  );
}
