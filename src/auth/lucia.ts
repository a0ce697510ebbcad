import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { Lucia, type DatabaseSession, type DatabaseUser } from 'lucia';
import type { Database, Db } from '../db/client.ts';
import { sessions, users, type Role } from '../db/schema.ts';

/**
 * drizzle's adapter, but the lookup that every signed-in request makes is one hand-written
 * postgres.js query of the four user fields the app reads: drizzle's query builder cost about a
 * tenth of the app's CPU per order (docs/decisions/017). Every request still reads the session
 * row, so a session ended anywhere (sign-out, expiry, another process) is refused at once.
 */
class Adapter extends DrizzlePostgreSQLAdapter {
  private readonly sql: Db;

  constructor(database: Database) {
    super(database.orm, sessions, users);
    this.sql = database.sql;
  }

  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await this.sql<{ userId: string; expiresAt: number; role: Role; name: string; email: string; phone: string }[]>`
      select s.user_id as "userId", (extract(epoch from s.expires_at) * 1000)::float8 as "expiresAt", u.role, u.name, u.email, u.phone
      from sessions s join users u on u.id = s.user_id where s.id = ${sessionId}`;
    if (!row) return [null, null];
    const { userId, expiresAt, ...attributes } = row;
    return [
      { id: sessionId, userId, expiresAt: new Date(expiresAt), attributes: {} },
      { id: userId, attributes },
    ];
  }
}

/** Lucia stays behind src/auth so that it can be swapped in one place. */
export function createAuth(database: Database, production: boolean) {
  return new Lucia(new Adapter(database), {
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
