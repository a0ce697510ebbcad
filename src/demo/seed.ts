import { sql } from 'drizzle-orm';
import { generateIdFromEntropySize } from 'lucia';
import { hashPassword } from '../auth/passwords.ts';
import type { Logger } from '../ops/log.ts';
import type { Db } from '../db/client.ts';
import { products, sellers, users, type Role } from '../db/schema.ts';

export const DEMO_PASSWORD = 'orderbell';

const people: { email: string; name: string; role: Role; phone: string }[] = [
  { email: 'admin@orderbell.test', name: 'Ada Admin', role: 'admin', phone: '+1 555 0100' },
  { email: 'seller1@orderbell.test', name: 'Sam Seller', role: 'seller', phone: '+1 555 0101' },
  { email: 'seller2@orderbell.test', name: 'Sky Seller', role: 'seller', phone: '+1 555 0102' },
  { email: 'customer1@orderbell.test', name: 'Cleo Customer', role: 'customer', phone: '+1 555 0201' },
  { email: 'customer2@orderbell.test', name: 'Cody Customer', role: 'customer', phone: '+1 555 0202' },
];

const stores = [
  {
    owner: 'seller1@orderbell.test',
    name: 'Green Leaf Tea',
    items: [
      ['Sencha, 100 g', 1250, 40],
      ['Earl Grey, 100 g', 990, 25],
      ['Matcha whisk', 2400, 3],
      ['Cast-iron teapot', 5900, 8],
      ['Oolong sampler', 1875, 15],
      ['Jasmine pearls, 50 g', 1450, 0],
    ],
    inactive: 'Pu-erh cake (retired)',
  },
  {
    owner: 'seller2@orderbell.test',
    name: 'Riverside Ceramics',
    items: [
      ['Handmade mug', 2800, 12],
      ['Espresso cup pair', 3400, 6],
      ['Serving bowl', 4500, 4],
      ['Dinner plate', 2250, 30],
      ['Tea bowl', 3900, 10],
    ],
    inactive: 'Glazed vase (discontinued)',
  },
] as const;

/** Demo accounts and stores, only into a database that has no users yet. */
export async function seedDemo(db: Db, log?: Logger) {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('orderbell:seed'))`);
    const [{ n }] = (await tx.execute<{ n: number }>(sql`select count(*)::int as n from users`)) as unknown as [{ n: number }];
    if (n > 0) {
      log?.info('database already has users: demo data not seeded');
      return;
    }
    log?.info('seeding demo data');
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const ids = new Map<string, string>();
    for (const p of people) ids.set(p.email, generateIdFromEntropySize(10));
    await tx.insert(users).values(people.map((p) => ({ ...p, id: ids.get(p.email)!, passwordHash })));
    for (const store of stores) {
      const [seller] = await tx
        .insert(sellers)
        .values({ userId: ids.get(store.owner)!, name: store.name, notificationEmail: store.owner })
        .returning({ id: sellers.id });
      await tx.insert(products).values([
        ...store.items.map(([name, price, stock]) => ({ sellerId: seller!.id, name, price, stock })),
        { sellerId: seller!.id, name: store.inactive, price: 1000, stock: 5, active: false },
      ]);
    }
    log?.info({ users: people.length, stores: stores.length }, 'demo data seeded');
  });
}
