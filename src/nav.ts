import { createMiddleware } from 'hono/factory';
import { cartCount } from './catalog/service.ts';
import type { AppEnv } from './env.ts';
import { unreadCount } from './notifications/store.ts';

/**
 * The navigation's counts (items in the cart, unread notifications), read only when a whole page
 * renders. Wired here, at the top, because the layout in `http` knows no feature.
 */
export const navCounts = createMiddleware<AppEnv>(async (c, next) => {
  c.set('navCounts', async () => {
    const user = c.get('user');
    if (!user || user.role === 'admin') return { cart: 0, unread: 0 };
    const sql = c.get('deps').database.sql;
    const [cart, unread] = await Promise.all([user.role === 'customer' ? cartCount(sql, user.id) : 0, unreadCount(sql, user.id)]);
    return { cart, unread };
  });
  await next();
});
