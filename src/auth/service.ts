import { generateIdFromEntropySize } from 'lucia';
import type { Db, Pool } from '../db/client.ts';
import { Conflict, TooMany, Unauthorized } from '../http/errors.ts';
import { reserveSlot } from '../ops/rate-limit.ts';
import type { Auth } from './lucia.ts';
import { hashPassword, verifyPassword } from './passwords.ts';
import type { LoginInput, SignupInput } from './schemas.ts';

const LOGIN_WINDOW_SECONDS = 15 * 60;

export async function signup(sql: Db, auth: Auth, input: SignupInput) {
  const id = generateIdFromEntropySize(10);
  const passwordHash = await hashPassword(input.password);
  // The unique index on lower(email) turns a taken email into no row instead of an error.
  const inserted = await sql<{ id: string }[]>`
    insert into users (id, role, name, email, phone, password_hash)
    values (${id}, 'customer', ${input.name}, ${input.email}, ${input.phone}, ${passwordHash})
    on conflict do nothing returning id`;
  if (!inserted.length) throw new Conflict('An account with this email already exists.', { email: 'An account with this email already exists.' });
  return auth.createSession(id, {});
}

export interface LoginLimits {
  /** Failures for one account from one client (online guessing). */
  perAccountAndClient: number;
  /** Failures from one client over any accounts (password spraying). */
  perClient: number;
  /** Failures for one account from everywhere: a ceiling high enough that no single client reaches it. */
  perAccount: number;
}

/**
 * Checks credentials under three failure counts (docs/decisions/005): per account and client, per
 * client, and a high per-account ceiling. None of them lets one client lock someone else out: a
 * client that guessed wrong is refused only for itself, and the account ceiling takes many
 * clients. Over a limit the attempt is refused with 429 before the password is even checked.
 */
export async function login(sql: Pool, auth: Auth, input: LoginInput, limits: LoginLimits, client: string) {
  const slot = await reserveSlot(sql, [
    { key: `login:${input.email}:${client}`, limit: limits.perAccountAndClient, windowSeconds: LOGIN_WINDOW_SECONDS },
    { key: `login-client:${client}`, limit: limits.perClient, windowSeconds: LOGIN_WINDOW_SECONDS },
    { key: `login-account:${input.email}`, limit: limits.perAccount, windowSeconds: LOGIN_WINDOW_SECONDS },
  ]);
  if (slot.wait) throw new TooMany(`Too many failed sign-in attempts. Try again in ${Math.ceil(slot.wait / 60)} minute(s).`, slot.wait);
  const [user] = await sql<{ id: string; passwordHash: string }[]>`
    select id, password_hash as "passwordHash" from users where lower(email) = ${input.email}`;
  const ok = await verifyPassword(user?.passwordHash ?? DUMMY_HASH, input.password);
  if (!user || !ok) throw new Unauthorized('Wrong email or password.');
  // A right password does not count as a failed attempt.
  await slot.release();
  return auth.createSession(user.id, {});
}

// Verifying against a fixed hash keeps the time of an unknown-email attempt like a real one.
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0G5kYHc+yQ0vP4QzEw3Zx0b4G3y1yqf6o0nU4iXJ3oE';
