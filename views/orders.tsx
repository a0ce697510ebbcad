import type { OrderSummary, OrderView, Page, SellerOrderPart } from '../src/orders/queries.ts';
import { dateOnly, dateTime, money } from './format.ts';
import { StatusBadge, Timeline } from './timeline.tsx';
import { ItemsTable } from './items.tsx';

/**
 * One store's part status with the time it last changed. Its own element id lets a live update
 * (SSE) replace exactly this piece with the same markup a reload would show.
 */
export const PartStatus = ({ part }: { part: Pick<SellerOrderPart, 'id' | 'status' | 'updatedAt'> }) => (
  <p id={`part-status-${part.id}`} class="part-status">
    <StatusBadge status={part.status} /> <span class="muted">since {dateTime(part.updatedAt)}</span>
  </p>
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
        <table class="orders">
          <caption class="visually-hidden">Your orders, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Stores</th>
              <th scope="col" class="num">Items</th>
              <th scope="col" class="num">Total</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {page.rows.map((o) => (
              <tr>
                <td>
                  <a href={`/orders/${o.id}`}>{o.orderNumber}</a>
                </td>
                <td>{dateTime(o.orderDate)}</td>
                <td>{o.stores.join(', ')}</td>
                <td class="num">{o.itemCount}</td>
                <td class="num">{money(o.totalAmount, currency)}</td>
                <td>
                  <StatusBadge status={o.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page.nextCursor && (
        <p>
          <a href={`/orders?cursor=${page.nextCursor}`}>Older orders</a>
        </p>
      )}
    </section>
  );
}

export function OrderPage({ order, currency, canCancel }: { order: OrderView; currency: string; canCancel: boolean }) {
  return (
    <section class="order">
      <h1>Order {order.orderNumber}</h1>
      <p>
        <StatusBadge status={order.status} /> Placed {dateTime(order.orderDate)} · estimated delivery {dateOnly(order.estimatedDelivery)}
      </p>
      {/* The live-updates module fills this with status changes as they happen. */}
      <div id="order-live" data-order-id={String(order.id)} aria-live="polite"></div>
      <div class="order-grid">
        <div>
          {order.sellerOrders.map((part) => (
            <StorePart part={part} currency={currency} />
          ))}
          <p class="total">
            Total <strong>{money(order.totalAmount, currency)}</strong>
          </p>
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
          <p>Payment: cash on delivery</p>
          {canCancel && (
            <p>
              <a class="button secondary" href={`/orders/${order.id}/cancel`}>
                Cancel order
              </a>
            </p>
          )}
        </div>
      </div>
      <Timeline entries={order.timeline} />
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
