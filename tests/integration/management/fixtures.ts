import { eq, inArray } from 'drizzle-orm';
import type { Orm } from '../../../src/db/client.ts';
import { orderEvents, orders, products, sellerOrders, type Status } from '../../../src/db/schema.ts';
import type { OrderView } from '../../../src/orders/queries.ts';
import type { Client } from '../../helpers/client.ts';

export const ADDRESS = '12 Harbour Road, Portsmouth';

/** Places an order through the real API and returns it as the customer sees it. */
export async function place(customer: Client, items: { productId: number; quantity: number }[], extra: Record<string, string> = {}): Promise<OrderView> {
  const res = await customer.json('POST', '/api/orders', { items, deliveryAddress: ADDRESS, ...extra });
  if (res.status !== 201) throw new Error(`placing failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as OrderView;
}

/** Puts every part of an order (and the order) into a status directly, to start a test from there. */
export async function forceStatus(db: Orm, orderId: number, status: Status) {
  await db.update(sellerOrders).set({ status }).where(eq(sellerOrders.orderId, orderId));
  await db.update(orders).set({ status }).where(eq(orders.id, orderId));
}

/** Everything a status change could touch, to compare before and after a refused one. */
export async function snapshot(db: Orm, orderId: number, productIds: number[]) {
  const [order] = await db.select({ status: orders.status, updatedAt: orders.updatedAt }).from(orders).where(eq(orders.id, orderId));
  const parts = await db.select({ id: sellerOrders.id, status: sellerOrders.status, updatedAt: sellerOrders.updatedAt }).from(sellerOrders).where(eq(sellerOrders.orderId, orderId)).orderBy(sellerOrders.id);
  const events = await db.select({ id: orderEvents.id }).from(orderEvents).where(eq(orderEvents.orderId, orderId));
  const stock = await db.select({ id: products.id, stock: products.stock }).from(products).where(inArray(products.id, productIds)).orderBy(products.id);
  return { order, parts, events: events.length, stock };
}

export const stockOf = async (db: Orm, productId: number) =>
  (await db.select({ stock: products.stock }).from(products).where(eq(products.id, productId)))[0]!.stock;

export const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;
