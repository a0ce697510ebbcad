import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { Lucia } from 'lucia';
import type { Orm } from '../db/client.ts';
import { sessions, users, type Role } from '../db/schema.ts';

/** Lucia stays behind src/auth so that it can be swapped in one place. */
export function createAuth(db: Orm, production: boolean) {
  return new Lucia(new DrizzlePostgreSQLAdapter(db, sessions, users), {
    sessionCookie: { name: 'ob_session', attributes: { secure: production, sameSite: 'lax' } },
    getUserAttributes: (a) => ({ role: a.role, name: a.name, email: a.email, phone: a.phone }),
  });
}

export type Auth = ReturnType<typeof createAuth>;

declare module 'lucia' {
  interface Register {
    Lucia: Auth;
    DatabaseUserAttributes: { role: Role; name: string; email: string; phone: string };
  }
}

export type { Session, User } from 'lucia';
