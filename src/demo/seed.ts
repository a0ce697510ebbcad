import { generateIdFromEntropySize } from 'lucia';
import { hashPassword } from '../auth/passwords.ts';
import type { Logger } from '../ops/log.ts';
import type { Pool } from '../db/client.ts';
import type { Role } from '../db/schema.ts';

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
export async function seedDemo(sql: Pool, log?: Logger) {
  await sql.begin(async (tx) => {
    await tx`select pg_advisory_xact_lock(hashtext('orderbell:seed'))`;
    const [{ n }] = await tx<[{ n: number }]>`select count(*)::int as n from users`;
    if (n > 0) {
      log?.info('database already has users: demo data not seeded');
      return;
    }
    log?.info('seeding demo data');
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    const rows = people.map((p) => ({ id: generateIdFromEntropySize(10), role: p.role, name: p.name, email: p.email, phone: p.phone, password_hash: passwordHash }));
    await tx`insert into users ${tx(rows)}`;
    const ids = new Map(rows.map((r) => [r.email, r.id]));
    for (const store of stores) {
      const [seller] = await tx<[{ id: number }]>`
        insert into sellers (user_id, name, notification_email) values (${ids.get(store.owner)!}, ${store.name}, ${store.owner}) returning id`;
      const items = [
        ...store.items.map(([name, price, stock]) => ({ seller_id: seller.id, name, price, stock, active: true })),
        { seller_id: seller.id, name: store.inactive, price: 1000, stock: 5, active: false },
      ];
      await tx`insert into products ${tx(items)}`;
    }
    log?.info({ users: people.length, stores: stores.length }, 'demo data seeded');
  });
}
