import { html } from 'hono/html';
import type { Notice } from './store.ts';

/** How a stream turns a notice into an SSE message; the page engineers supply richer ones. */
export interface StreamFormat {
  /** The SSE `data`: JSON for the API, HTML (`<hx-partial>` fragments) for pages. May be async. */
  render(notice: Notice): string | Promise<string>;
  /** The SSE `event:` name. htmx swaps unnamed messages and turns named ones into DOM events. */
  event?(notice: Notice): string | undefined;
}

export const jsonFormat: StreamFormat = {
  render: (n) =>
    JSON.stringify({ id: n.id, type: n.type, orderId: n.orderId, sellerOrderId: n.sellerOrderId, payload: n.payload, createdAt: n.createdAt, readAt: n.readAt }),
  event: (n) => n.type,
};

const text = (n: Notice) => {
  const p = n.payload as { orderNumber?: string; storeName?: string; customerName?: string; to?: string };
  if (n.type === 'order_notification') return `New order ${p.orderNumber} from ${p.customerName}`;
  if (n.type === 'order_confirmed') return `${p.storeName} confirmed order ${p.orderNumber}`;
  return `Order ${p.orderNumber} at ${p.storeName} is now ${p.to}`;
};

/** The default page message: a line prepended to a `#live-notices` list (an aria-live region on the page). */
export const htmlFormat: StreamFormat = {
  render: async (n) =>
    String(await html`<hx-partial hx-target="#live-notices" hx-swap="afterbegin"><li class="notice" id="notice-${n.id}" data-type="${n.type}">${text(n)}</li></hx-partial>`),
};
