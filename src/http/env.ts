import type { Child } from 'hono/jsx';
import type { Auth, Session, User } from '../auth/lucia.ts';
import type { Config } from '../config.ts';
import type { Database } from '../db/client.ts';
import type { Notifications } from '../notifications/index.ts';
import type { Logger } from '../ops/log.ts';
import type { AppError } from './errors.ts';

/** Everything a request may need, built once per process (tests build their own). */
export interface Deps {
  database: Database;
  config: Config;
  log: Logger;
  auth: Auth;
  /** Hub, LISTEN connection, presence, email fallback and metrics of this process. */
  notifications: Notifications;
}

export type AppEnv = {
  Variables: {
    deps: Deps;
    user: User | null;
    session: Session | null;
    requestId: string;
    secureHeadersNonce?: string;
    /** Set by a form route so that `onError` can re-render the form with its errors. */
    renderForm?: (error: AppError) => Child;
  };
};
