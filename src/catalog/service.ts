import type { Db } from '../db/client.ts';
import { Conflict, NotFound } from '../http/errors.ts';

export interface Product {
  id: number;
  name: string;
  description: string;
  price: number;
  stock: number;
  seller: { id: number; name: string };
}

export interface Store {
  id: number;
  name: string;
}

/** Active products with their store, by store then name; optionally of one store. */
export function activeProducts(sql: Db, storeId?: number) {
  return sql<Product[]>`
    select p.id, p.name, p.description, p.price, p.stock, json_build_object('id', s.id, 'name', s.name) as seller
    from products p join sellers s on s.id = p.seller_id
    where p.active ${storeId ? sql`and p.seller_id = ${storeId}` : sql``}
    order by s.name, p.name, p.id`;
}

/** Stores that sell at least one active product, for the catalog's filter. */
export const storesWithProducts = (sql: Db) =>
  sql<Store[]>`select s.id, s.name from sellers s where exists (select 1 from products p where p.seller_id = s.id and p.active) order by s.name, s.id`;

export interface CartLine {
  productId: number;
  name: string;
  price: number;
  stock: number;
  active: boolean;
  quantity: number;
  storeId: number;
  storeName: string;
  /** Why this line cannot be bought as it is, in words for the customer. */
  problem: string | null;
}

export interface Cart {
  lines: CartLine[];
  /** Lines shown with less than their stored quantity: the stock on hand fell below it. */
  lowered: string[];
  count: number;
  total: number;
}

/** A line counts at most the stock on hand, while there is any (sold out and retired lines say so instead). */
const CAPPED = 'case when p.active and p.stock > 0 then least(c.quantity, p.stock) else c.quantity end';

/**
 * The customer's cart, as it can be checked out: a line never counts more than the stock on hand
 * (and says so). Reading changes nothing; checkout stores the lowered quantities (`fitCartToStock`).
 */
export async function cartFor(sql: Db, userId: string): Promise<Cart> {
  const rows = await sql<(Omit<CartLine, 'problem'> & { chosen: number })[]>`
    select c.product_id as "productId", p.name, p.price, p.stock, p.active, ${sql.unsafe(CAPPED)} as quantity, c.quantity as chosen,
           s.id as "storeId", s.name as "storeName"
    from cart_items c join products p on p.id = c.product_id join sellers s on s.id = p.seller_id
    where c.user_id = ${userId} order by s.name, s.id, c.created_at, c.product_id`;
  const lines = rows.map(({ chosen: _, ...l }) => ({
    ...l,
    problem: !l.active ? `${l.name} is no longer sold. Remove it to check out.` : l.stock === 0 ? `${l.name} sold out since you added it. Remove it to check out.` : null,
  }));
  const buyable = lines.filter((l) => !l.problem);
  return {
    lines,
    lowered: rows.filter((l) => l.quantity < l.chosen).map((l) => `Only ${l.stock} of ${l.name} left: your cart now holds ${l.stock}.`),
    count: lines.reduce((n, l) => n + l.quantity, 0),
    total: buyable.reduce((n, l) => n + l.price * l.quantity, 0),
  };
}

/** Stores the quantities the cart shows (see `cartFor`), when the customer checks out. */
export async function fitCartToStock(sql: Db, userId: string) {
  await sql`
    update cart_items c set quantity = p.stock from products p
    where c.user_id = ${userId} and p.id = c.product_id and p.active and p.stock > 0 and c.quantity > p.stock`;
}

/** The lines as a page showed them, so that checkout can tell whether the cart changed under its form. */
export const cartFingerprint = (cart: Cart) => cart.lines.map((l) => `${l.productId}x${l.quantity}`).join(',');

export const cartCount = async (sql: Db, userId: string) =>
  (
    await sql<{ n: number }[]>`
      select coalesce(sum(${sql.unsafe(CAPPED)}), 0)::int as n from cart_items c join products p on p.id = c.product_id where c.user_id = ${userId}`
  )[0]!.n;

/** What happened to a cart line, in words for the customer. */
export interface CartChange {
  message: string;
  count: number;
}

async function sellable(sql: Db, productId: number) {
  const [p] = await sql<{ name: string; stock: number; active: boolean }[]>`select name, stock, active from products where id = ${productId}`;
  if (!p) throw new NotFound('There is no such product.');
  if (!p.active) throw new Conflict(`${p.name} is no longer sold.`);
  if (p.stock === 0) throw new Conflict(`${p.name} is sold out.`);
  return p;
}

/** Adds to the cart, never beyond the stock on hand (the line is capped at it and the customer told). */
export async function addToCart(sql: Db, userId: string, productId: number, quantity: number): Promise<CartChange> {
  const p = await sellable(sql, productId);
  // The subquery reads the statement's snapshot, so it sees the line as it was before.
  const [line] = await sql<{ quantity: number; before: number | null }[]>`
    insert into cart_items (user_id, product_id, quantity) values (${userId}, ${productId}, ${Math.min(quantity, p.stock)})
    on conflict (user_id, product_id) do update set quantity = least(cart_items.quantity + ${quantity}::int, ${p.stock}::int)
    returning quantity, (select quantity from cart_items where user_id = ${userId} and product_id = ${productId}) as before`;
  const capped = (line!.before ?? 0) + quantity > p.stock;
  const message = capped
    ? `Only ${p.stock} of ${p.name} left: your cart holds ${line!.quantity}.`
    : `Added ${p.name} to your cart (${line!.quantity} in cart).`;
  return { message, count: await cartCount(sql, userId) };
}

/** Sets a line's quantity, capped at the stock on hand. */
export async function setQuantity(sql: Db, userId: string, productId: number, quantity: number): Promise<CartChange> {
  const p = await sellable(sql, productId);
  const kept = Math.min(quantity, p.stock);
  const updated = await sql`update cart_items set quantity = ${kept} where user_id = ${userId} and product_id = ${productId}`;
  if (!updated.count) throw new NotFound(`${p.name} is not in your cart.`);
  const message = kept < quantity ? `Only ${p.stock} of ${p.name} left: your cart holds ${kept}.` : `Your cart holds ${kept} of ${p.name}.`;
  return { message, count: await cartCount(sql, userId) };
}

export async function removeFromCart(sql: Db, userId: string, productId: number): Promise<CartChange> {
  const [gone] = await sql<{ name: string }[]>`
    delete from cart_items c using products p where c.user_id = ${userId} and c.product_id = ${productId} and p.id = c.product_id returning p.name`;
  return { message: gone ? `Removed ${gone.name} from your cart.` : 'That product was not in your cart.', count: await cartCount(sql, userId) };
}
