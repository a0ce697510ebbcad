import type { Notice } from './store.ts';

/** How a stream turns a notice into an SSE message. */
export interface StreamFormat {
  /** The SSE `data`: JSON for the API, HTML (`<hx-partial>` fragments, src/orders/live.tsx) for pages. May be async. */
  render(notice: Notice): string | Promise<string>;
  /** The SSE `event:` name. htmx swaps unnamed messages and turns named ones into DOM events. */
  event?(notice: Notice): string | undefined;
  /** Whether this stream sends the notice at all (all of them when absent). */
  carries?(notice: Notice): boolean;
  /** Written before a stream ends because its session ended, so that a page says so at once. */
  sessionEnded?: string;
}

export const jsonFormat: StreamFormat = {
  render: (n) =>
    JSON.stringify({ id: n.id, type: n.type, orderId: n.orderId, sellerOrderId: n.sellerOrderId, payload: n.payload, createdAt: n.createdAt, readAt: n.readAt }),
  event: (n) => n.type,
  // The API's stable contract names three events; "seen by the store" (order_seen) exists for the
  // pages' live timelines and notifications_read for the pages' alerts, so API clients never meet
  // an event they were not promised.
  carries: (n) => n.type !== 'order_seen' && n.type !== 'notifications_read',
};
