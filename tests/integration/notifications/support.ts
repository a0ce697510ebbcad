import { expect } from 'vitest';
import type { OrderView } from '../../../src/orders/queries.ts';
import type { Client } from '../../helpers/client.ts';
import { SseStream } from '../../helpers/sse.ts';

export const ADDRESS = '7 Quay Street, Bristol';

/** A customer's checkout of one unit of each product, through the JSON API. */
export async function order(customer: Client, ...productIds: number[]): Promise<OrderView> {
  const res = await customer.json('POST', '/api/orders', { items: productIds.map((productId) => ({ productId, quantity: 1 })), deliveryAddress: ADDRESS });
  expect(res.status).toBe(201);
  return (await res.json()) as OrderView;
}

/** Opens a real SSE connection as the API client (bearer token) on a served app. */
export async function streamOf(origin: string, client: Client, path = '/api/events', headers: Record<string, string> = {}) {
  const stream = await SseStream.open(`${origin}${path}`, { authorization: `Bearer ${client.token}`, ...headers });
  expect(stream.response.status).toBe(200);
  return stream;
}

export const payloadOf = (data: string) => (JSON.parse(data) as { payload: Record<string, unknown> }).payload;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Room for a stray or duplicate message to show up before a test says none came: a second, far
 * above the few milliseconds a message takes here, so a busy machine does not hide one.
 */
export const quietPeriod = () => sleep(1000);
