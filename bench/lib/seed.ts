import { randomBytes } from 'node:crypto';
import { hashPassword } from '../../src/auth/passwords.ts';
import type { Db } from '../../src/db/client.ts';

export const PASSWORD = 'bench password 1';

export interface Store {
  id: number;
  userId: string;
  token: string;
  productIds: number[];
}
export interface Customer {
  id: string;
  name: string;
  email: string;
  phone: string;
  token: string;
}
export interface World {
  customers: Customer[];
  stores: Store[];
  admin: { id: string; email: string; token: string };
}

/**
 * Customers, stores (one seller user each) with products, an admin, and a session for every
 * user, written in bulk SQL. Sessions are inserted as rows (a token is a lucia session id), so
 * thousands of users do not each pay an argon2 login; one real login is checked separately.
 */
export async function seedWorld(sql: Db, counts: { customers: number; stores: number; productsPerStore: number }): Promise<World> {
  const hash = await hashPassword(PASSWORD);
  const tag = randomBytes(6).toString('hex');
  await sql`
    insert into users (id, role, name, email, phone, password_hash)
    select 'bc' || n, 'customer', 'Customer ' || n, 'customer' || n || '@bench.test', '+1 555 ' || lpad(n::text, 4, '0'), ${hash}
    from generate_series(1, ${counts.customers}) n
    union all
    select 'bs' || n, 'seller', 'Seller ' || n, 'seller' || n || '@bench.test', '+1 555 9000', ${hash}
    from generate_series(1, ${counts.stores}) n
    union all select 'ba1', 'admin', 'Admin', 'admin@bench.test', '+1 555 0000', ${hash}`;
  await sql`
    insert into sellers (user_id, name, notification_email)
    select 'bs' || n, 'Store ' || n, 'seller' || n || '@bench.test' from generate_series(1, ${counts.stores}) n order by n`;
  await sql`
    insert into products (seller_id, name, price, stock)
    select s.id, 'Product ' || k || ' of store ' || s.id, 500 + ((s.id * 7 + k * 13) % 50) * 100, 1000000000
    from sellers s, generate_series(1, ${counts.productsPerStore}) k order by s.id, k`;
  await sql`
    insert into sessions (id, user_id, expires_at)
    select ${tag} || '-' || id, id, now() + interval '30 days' from users where id like 'b%'`;
  // Only the tables filled here: ANALYZE of an empty table records 0 rows, and the planner then
  // trusts that instead of assuming at least 10 pages, as for a never-analyzed table. An app's
  // first orders, planned against empty order tables, then cache plans that scan them whole for
  // as long as their connection lives (bench/scenarios/throughput.ts). A fresh install never
  // analyzes its empty tables either.
  await sql`analyze users, sellers, products, sessions`;
  const customers = await sql<Customer[]>`
    select id, name, email, phone, ${tag} || '-' || id as token from users where role = 'customer' order by created_at, id`;
  const stores = await sql<Store[]>`
    select s.id, s.user_id as "userId", ${tag} || '-' || s.user_id as token, array_agg(p.id order by p.id) as "productIds"
    from sellers s join products p on p.seller_id = s.id group by s.id order by s.id`;
  return { customers, stores, admin: { id: 'ba1', email: 'admin@bench.test', token: `${tag}-ba1` } };
}
