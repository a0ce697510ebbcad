import { randomBytes } from 'node:crypto';
import { generateIdFromEntropySize } from 'lucia';
import type { App } from '../../src/app.ts';
import { hashPassword } from '../../src/auth/passwords.ts';
import type { Orm } from '../../src/db/client.ts';
import { products, sellers, users, type Role } from '../../src/db/schema.ts';
import { Client } from './client.ts';

export const PASSWORD = 'correct horse battery';
let hashed: Promise<string> | undefined;
const unique = () => randomBytes(4).toString('hex');

export async function makeUser(db: Orm, role: Role, over: Partial<{ name: string; email: string; phone: string }> = {}) {
  hashed ??= hashPassword(PASSWORD);
  const tag = unique();
  const [user] = await db
    .insert(users)
    .values({
      id: generateIdFromEntropySize(10),
      role,
      name: over.name ?? `${role} ${tag}`,
      email: over.email ?? `${role}-${tag}@example.test`,
      phone: over.phone ?? '+1 555 0100',
      passwordHash: await hashed,
    })
    .returning();
  return user!;
}

export const makeCustomer = (db: Orm, over?: Parameters<typeof makeUser>[2]) => makeUser(db, 'customer', over);
export const makeAdmin = (db: Orm) => makeUser(db, 'admin');

export interface ProductSpec {
  name?: string;
  price?: number;
  stock?: number;
  active?: boolean;
}

/** A seller user with a store and its products (two in-stock products unless told otherwise). */
export async function makeSeller(db: Orm, specs: ProductSpec[] = [{}, {}]) {
  const user = await makeUser(db, 'seller');
  const [store] = await db
    .insert(sellers)
    .values({ userId: user.id, name: `Store ${unique()}`, notificationEmail: user.email })
    .returning();
  const made = await db
    .insert(products)
    .values(specs.map((s, i) => ({ sellerId: store!.id, name: s.name ?? `Product ${i + 1} ${unique()}`, price: s.price ?? 1000 + i * 250, stock: s.stock ?? 20, active: s.active ?? true })))
    .returning();
  return { user, store: store!, products: made };
}

/** A client signed in through the login form, holding the session cookie. */
export async function signIn(target: App | string, email: string, password = PASSWORD) {
  const client = new Client(target);
  const res = await client.form('/login', { email, password });
  if (res.status !== 303) throw new Error(`sign-in of ${email} failed with ${res.status}`);
  return client;
}

/** A client that authenticates with a bearer token from POST /api/session. */
export async function apiClient(target: App | string, email: string, password = PASSWORD) {
  const client = new Client(target);
  const res = await client.json('POST', '/api/session', { email, password });
  if (res.status !== 201) throw new Error(`API sign-in of ${email} failed with ${res.status}`);
  client.token = ((await res.json()) as { token: string }).token;
  client.cookies.clear();
  return client;
}
