import type { Client } from './http.ts';
import type { Customer, Store } from './seed.ts';
import { sleep } from './progress.ts';
import { perSecond, summarize, type Summary } from './stats.ts';

export interface OrderLine {
  productId: number;
  quantity: number;
}

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;

/** A 1-4 line order across random stores of the pool (quantity 1 each, so stock never runs out). */
export function randomLines(stores: readonly Store[]): OrderLine[] {
  const n = 1 + Math.floor(Math.random() * 4);
  return Array.from({ length: n }, () => ({ productId: pick(pick(stores).productIds), quantity: 1 }));
}

export const randomCustomer = (customers: readonly Customer[]) => pick(customers);

export interface PlacedOrder {
  id: number;
  /** The order's own timestamp (`createdAt`, set in the placing transaction), in epoch ms. */
  createdAt: number;
  /** Date.now() when the POST's response had fully arrived. */
  respondedAt: number;
}

/** Places one order through the app's JSON API; throws on anything but 201. */
export async function placeOverHttp(http: Client, customers: readonly Customer[], stores: readonly Store[]): Promise<PlacedOrder & { ms: number }> {
  const body = { items: randomLines(stores), deliveryAddress: '1 Bench Street, Testville' };
  const reply = await http.send('POST', '/api/orders', randomCustomer(customers).token, body);
  const respondedAt = Date.now();
  if (reply.status !== 201) throw new Error(`POST /api/orders answered ${reply.status}: ${reply.body.slice(0, 200)}`);
  const order = JSON.parse(reply.body) as { id: number; createdAt: string };
  return { id: order.id, createdAt: Date.parse(order.createdAt), respondedAt, ms: reply.ms };
}

export interface LoadResult {
  ok: number;
  failed: number;
  firstError?: string;
  seconds: number;
  perSecond: number;
  latency: Summary;
}

/** `concurrency` workers repeat `task` back to back for `seconds`: the sustained rate. */
export async function closedLoop(task: () => Promise<unknown>, concurrency: number, seconds: number): Promise<LoadResult> {
  const latencies: number[] = [];
  let failed = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const t = performance.now();
      try {
        await task();
        latencies.push(performance.now() - t);
      } catch (e) {
        failed++;
        firstError ??= String(e);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const ms = performance.now() - started;
  return { ok: latencies.length, failed, firstError, seconds: ms / 1000, perSecond: perSecond(latencies.length, ms), latency: summarize(latencies) };
}

/**
 * Starts `task` at a steady `rate` per second for `seconds`, without waiting for earlier ones
 * (an open loop, like customers who do not care how busy the shop is). At most one second's
 * worth run at once: when the app falls further behind, starts are skipped and counted as
 * `dropped` (the app could not keep up), which also bounds how long a run takes.
 */
export async function openLoop<T>(task: () => Promise<T>, rate: number, seconds: number, maxInFlight = Math.max(100, rate)) {
  const results: T[] = [];
  const latencies: number[] = [];
  let failed = 0;
  let dropped = 0;
  let firstError: string | undefined;
  let inFlight = 0;
  let started = 0;
  const pending = new Set<Promise<void>>();
  const t0 = performance.now();
  const total = Math.round(rate * seconds);
  while (started + dropped < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) / 1000) * rate));
    while (started + dropped < due) {
      if (inFlight >= maxInFlight) {
        dropped++;
        continue;
      }
      started++;
      inFlight++;
      const t = performance.now();
      const p = task().then(
        (r) => {
          results.push(r);
          latencies.push(performance.now() - t);
        },
        (e) => {
          failed++;
          firstError ??= String(e);
        },
      ).finally(() => {
        inFlight--;
        pending.delete(p);
      });
      pending.add(p);
    }
    await sleep(2);
  }
  const sentMs = performance.now() - t0;
  await Promise.all(pending);
  return { results, failed, dropped, firstError, achievedPerSecond: perSecond(results.length, sentMs), latency: summarize(latencies) };
}
