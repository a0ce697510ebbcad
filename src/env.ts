import type { Auth, Session, User } from './auth/lucia.ts';
import type { Config } from './config.ts';
import type { Database } from './db/client.ts';
import type { Notifications } from './notifications/index.ts';
import type { Logger } from './ops/log.ts';

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
    /** The navigation's counts, read when a whole page renders (src/nav.ts). */
    navCounts?: () => Promise<{ cart: number; unread: number }>;
  };
};

/** A handler's environment behind `requireUser` or `requireRole`: the guards narrow the user. */
export type SignedInEnv = AppEnv & { Variables: { user: User; session: Session } };
