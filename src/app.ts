import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { loadSession, refuseCrossOrigin } from './auth/middleware.ts';
import { authRoutes } from './auth/routes.tsx';
import type { AppEnv, Deps } from './env.ts';
import { bodyLimit } from './http/body.ts';
import { AppError } from './http/errors.ts';
import { noStore } from './http/no-store.ts';
import { onError } from './http/on-error.tsx';
import { adminRoutes } from './admin/routes.tsx';
import { catalogRoutes } from './catalog/routes.tsx';
import { notificationRoutes } from './notifications/routes.ts';
import { orderApi } from './orders/api.ts';
import { pageStream } from './orders/live.tsx';
import { customerOrderPages } from './orders/pages.tsx';
import { sellerPages } from './orders/seller-pages.tsx';
import { navCounts } from './nav.ts';
import { healthRoutes } from './ops/health.ts';
import { requestLog } from './ops/request-log.ts';

const staticCache = { onFound: (_: string, c: { header: (k: string, v: string) => void }) => c.header('Cache-Control', 'public, max-age=3600') };

export function createApp(deps: Deps) {
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    c.set('deps', deps);
    await next();
  });
  app.use(requestId());
  app.use(requestLog);
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        // No nonce: pages have no inline script (decision 011), and a fixed policy is built once, not per request (decision 017).
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      xFrameOptions: 'DENY',
      strictTransportSecurity: deps.config.NODE_ENV === 'production' ? 'max-age=31536000; includeSubDomains' : false,
    }),
  );
  app.use('/public/htmx/*', serveStatic({ root: 'node_modules/htmx.org/dist', rewriteRequestPath: (p) => p.replace(/^\/public\/htmx/, ''), ...staticCache }));
  app.use('/public/*', serveStatic({ root: '.', ...staticCache }));
  app.route('/', healthRoutes);
  app.use('/api/*', bodyLimit(64 * 1024, 'The request body is over 64 KiB.'));
  app.use(bodyLimit(256 * 1024, 'The request body is too large.'));
  app.use(loadSession);
  app.use(noStore);
  app.use(navCounts);
  app.use(refuseCrossOrigin);
  app.route('/', authRoutes);
  app.route('/', orderApi);
  app.route('/', catalogRoutes);
  app.route('/', customerOrderPages);
  app.route('/', sellerPages);
  app.route('/', adminRoutes);
  app.route('/', notificationRoutes);
  app.route('/', pageStream);
  app.notFound((c) => onError(new AppError(404, 'not_found', 'There is nothing at this address.'), c));
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
