import type { OrderSummary, OrderView, Page, SellerOrderPart } from '../src/orders/queries.ts';
import { dateOnly, dateTime, money } from './format.ts';
import { ItemsTable } from './items.tsx';
import { LiveNotices, Notice, liveStream } from './live.tsx';
import { DueAmount, OrderStatusText } from './order-state.tsx';
import { Pager, pageQuery } from './pager.tsx';
import { STATUS_LABEL, StatusBadge, Timeline, TimelineUpdate } from './timeline.tsx';

/**
 * One store's part status with the time it last changed. Its own element id lets a live update
 * (SSE) replace exactly this piece with the same markup a reload would show.
 */
export const PartStatus = ({ part }: { part: Pick<SellerOrderPart, 'id' | 'status' | 'updatedAt'> }) => (
  <p id={`part-status-${part.id}`} class="part-status">
    <StatusBadge status={part.status} /> <span class="muted">since {dateTime(part.updatedAt)}</span>
  </p>
);

type HeadlineOrder = Pick<OrderView, 'id' | 'status' | 'progress' | 'orderDate' | 'estimatedDelivery'>;

/**
 * The whole order's status (derived from its parts, with their progress when they differ), when
 * it was placed and when it should arrive (nothing arrives once every part is cancelled);
 * replaced live like PartStatus.
 */
export const OrderStatus = ({ order }: { order: HeadlineOrder }) => (
  <p id={`order-status-${order.id}`} class="order-headline">
    <OrderStatusText status={order.status} progress={order.progress} /> Placed {dateTime(order.orderDate)}
    {order.status !== 'cancelled' && <> · estimated delivery {dateOnly(order.estimatedDelivery)}</>}
  </p>
);

/** What the customer pays on delivery; replaced live when a store cancels its part. */
export const OrderDue = ({ order, currency }: { order: Pick<OrderView, 'id' | 'totalAmount' | 'amountDue'>; currency: string }) => (
  <div id={`order-due-${order.id}`} class="due">
    {order.amountDue !== order.totalAmount && (
      <p class="total">
        Ordered <s>{money(order.totalAmount, currency)}</s>
      </p>
    )}
    <p class="total">
      {order.amountDue ? (
        <>
          To pay on delivery <strong>{money(order.amountDue, currency)}</strong>
        </>
      ) : (
        <strong>Nothing to pay: the order is cancelled.</strong>
      )}
    </p>
  </div>
);

/**
 * The live message for a customer when a store changed its part: that part's status, the order's
 * status, the cancel link gone once a store acted, and a line for screen readers. Every target
 * carries the order's or part's id, so on any other page the message changes nothing.
 */
export const OrderLiveUpdate = ({ order, part, noticeId, currency }: { order: OrderView; part: SellerOrderPart; noticeId: number; currency: string }) => (
  <>
    <hx-partial hx-target={`#part-status-${part.id}`} hx-swap="outerHTML">
      <PartStatus part={part} />
    </hx-partial>
    <hx-partial hx-target={`#order-status-${order.id}`} hx-swap="outerHTML">
      <OrderStatus order={order} />
    </hx-partial>
    <hx-partial hx-target={`#order-due-${order.id}`} hx-swap="outerHTML">
      <OrderDue order={order} currency={currency} />
    </hx-partial>
    {!order.canCancel && <hx-partial hx-target={`#order-cancel-${order.id}`} hx-swap="delete"></hx-partial>}
    <TimelineUpdate orderId={order.id} entries={order.timeline} />
    <hx-partial hx-target={`#order-notices-${order.id}`} hx-swap="afterbegin">
      <Notice id={noticeId} type="order_status_update">
        {part.storeName}: your order is now {STATUS_LABEL[part.status].toLowerCase()}.
      </Notice>
    </hx-partial>
  </>
);

/** The live message for a customer when a store first opened their order: the timeline and a line for screen readers. */
export const OrderSeenUpdate = ({ order, part, noticeId }: { order: OrderView; part: SellerOrderPart; noticeId: number }) => (
  <>
    <TimelineUpdate orderId={order.id} entries={order.timeline} />
    <hx-partial hx-target={`#order-notices-${order.id}`} hx-swap="afterbegin">
      <Notice id={noticeId} type="order_seen">
        {part.storeName} has seen your order.
      </Notice>
    </hx-partial>
  </>
);

export function OrdersPage({ page, currency }: { page: Page<OrderSummary>; currency: string }) {
  return (
    <section>
      <h1>My orders</h1>
      {page.rows.length === 0 ? (
        <p>
          You have no orders yet. <a href="/">Browse the shop</a>.
        </p>
      ) : (
        <table class="orders stack">
          <caption class="visually-hidden">Your orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Stores</th>
              <th scope="col" class="num">Items</th>
              <th scope="col" class="num">To pay</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((o) => (
              <tr>
                <td data-label="Order">
                  <a href={`/orders/${o.id}`}>{o.orderNumber}</a>
                </td>
                <td data-label="Placed">{dateTime(o.orderDate)}</td>
                <td data-label="Stores">{o.stores.join(', ')}</td>
                <td class="num" data-label="Items">{o.itemCount}</td>
                <td class="num" data-label="To pay">
                  <DueAmount totalAmount={o.totalAmount} amountDue={o.amountDue} currency={currency} />
                </td>
                <td data-label="Status">
                  <OrderStatusText status={o.status} progress={o.progress} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager page={page} noun="Orders" url={(to) => `/orders?${pageQuery(to)}`} />
    </section>
  );
}

/** `after`: the newest notification id of the customer when the page was read; the live stream resumes there. */
export function OrderPage({ order, currency, after }: { order: OrderView; currency: string; after: number }) {
  return (
    <section class="order">
      <h1>Order {order.orderNumber}</h1>
      <OrderStatus order={order} />
      <div id="order-live" data-order-id={String(order.id)} {...liveStream(after)}>
        <LiveNotices id={`order-notices-${order.id}`} />
      </div>
      <div class="order-grid">
        <div>
          {order.sellerOrders.map((part) => (
            <StorePart part={part} currency={currency} />
          ))}
          <OrderDue order={order} currency={currency} />
        </div>
        <div class="card">
          <h2>Delivery</h2>
          <p>
            {order.customer.name}
            <br />
            {order.customer.phone}
          </p>
          <p class="address">{order.deliveryAddress}</p>
          {order.notes && (
            <>
              <h3>Notes</h3>
              <p class="address">{order.notes}</p>
            </>
          )}
          <p>Payment: cash on delivery{order.amountDue ? ` (${money(order.amountDue, currency)})` : ''}</p>
          {order.canCancel && (
            <p id={`order-cancel-${order.id}`}>
              <a class="button secondary" href={`/orders/${order.id}/cancel`}>
                Cancel order
              </a>
            </p>
          )}
        </div>
      </div>
      <Timeline orderId={order.id} entries={order.timeline} />
    </section>
  );
}

function StorePart({ part, currency }: { part: SellerOrderPart; currency: string }) {
  return (
    <section id={`part-${part.id}`} class="card part" aria-labelledby={`part-${part.id}-name`}>
      <h2 id={`part-${part.id}-name`}>{part.storeName}</h2>
      <PartStatus part={part} />
      <ItemsTable items={part.items} subtotal={part.subtotal} subtotalLabel={`${part.storeName} subtotal`} currency={currency} />
    </section>
  );
}

/** The confirmation step before a customer cancels: a page of its own, so it works without JavaScript. */
export const CancelOrderPage = ({ order }: { order: Pick<OrderView, 'id' | 'orderNumber'> }) => (
  <section class="card narrow">
    <h1>Cancel order {order.orderNumber}?</h1>
    <p>Every store's part of the order is cancelled and nothing will be delivered.</p>
    <form method="post" action={`/orders/${order.id}/cancel`} class="inline">
      <button type="submit" class="danger">
        Yes, cancel order
      </button>
    </form>{' '}
    <a href={`/orders/${order.id}`}>Keep my order</a>
  </section>
);
