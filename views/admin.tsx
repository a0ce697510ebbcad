import type { OrderFilters } from '../src/admin/schemas.ts';
import type { AdminPage, OutboxRow } from '../src/admin/service.ts';
import type { Store } from '../src/admin/store-search.ts';
import type { Child } from 'hono/jsx';
import type { OrderView, SellerOrderPart } from '../src/orders/queries.ts';
import { dateOnly, dateTime, money } from './format.ts';
import { FormError, firstInvalid, type Errors } from './forms.tsx';
import { STATUSES, STATUS_LABEL, StatusBadge, Timeline } from './timeline.tsx';
import { ItemsTable } from './items.tsx';
import { Pager } from './pager.tsx';
import { DueAmount, OrderStatusText } from './order-state.tsx';

type Filters = Partial<Record<keyof OrderFilters, string | number>>;

/** The list's address with these filters (and optionally another page or format). */
export function ordersUrl(filters: Filters, path = '/admin/orders') {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filters)) if (v !== undefined && v !== '') q.set(k, String(v));
  return q.size ? `${path}?${q}` : path;
}

interface Control {
  id: string;
  name: string;
  label: string;
  value?: string | number;
  error?: string;
  /** The first control in error takes the focus. */
  autofocus?: boolean;
}

const Select = ({ id, name, label, value, options, error, autofocus }: Control & { options: [string, string][] }) => (
  <div class={error ? 'field has-error' : 'field'}>
    <label for={id}>{label}</label>
    <select id={id} name={name} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined} autofocus={autofocus || undefined}>
      {options.map(([v, text]) => (
        <option value={v} selected={String(value ?? '') === v}>
          {text}
        </option>
      ))}
    </select>
    {error && <p id={`${id}-error`} class="error">{error}</p>}
  </div>
);

/** A text field; `attrs` go on the input (htmx's), `after` follows it inside the field. */
export const Input = ({ id, name, label, value, type = 'text', error, autofocus, attrs, after }: Control & { type?: string; attrs?: Record<string, string>; after?: Child }) => (
  <div class={error ? 'field has-error' : 'field'}>
    <label for={id}>{label}</label>
    <input id={id} name={name} type={type} value={value === undefined ? '' : String(value)} aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined} autofocus={autofocus || undefined} {...attrs} />
    {after}
    {error && <p id={`${id}-error`} class="error">{error}</p>}
  </div>
);

/** How a store is shown in a filter field and in messages; the store filter reads it back. */
export const storeLabel = (s: Store) => `${s.name} (#${s.id})`;

/** The store search's suggestions: each a link to the list filtered by that store, the other filters kept. */
export function StoreMatches({ filters, stores, text }: { filters: Filters; stores: Store[]; text: string }) {
  const { cursor: _cursor, before: _before, ...kept } = filters;
  return (
    <div id="f-store-matches" class="store-matches" aria-live="polite">
      {text && !stores.length && <p class="muted">No store has that number or a name starting with “{text}”.</p>}
      {stores.length > 0 && (
        <ul aria-label="Matching stores">
          {stores.map((s) => (
            <li>
              <a href={ordersUrl({ ...kept, store: s.id })}>{storeLabel(s)}</a>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export interface AdminOrdersProps {
  filters: Filters;
  /** The store the list is filtered by, once the field's text named exactly one. */
  store: Store | null;
  page: AdminPage;
  currency: string;
  errors?: Errors;
}

const FILTER_FIELDS = [['q', 'Search', 'f-q'], ['status', 'Status', 'f-status'], ['store', 'Store', 'f-store'], ['from', 'From', 'f-from'], ['to', 'To', 'f-to'], ['sort', 'Sort', 'f-sort']] as const;

/** The order list: filters in a plain GET form (htmx swaps just this block), results, pager, CSV link. */
export function AdminOrdersPage({ filters, store, page, currency, errors }: AdminOrdersProps) {
  // Links carry the store's number, so that they keep naming the same store.
  const { cursor: _cursor, before: _before, ...typed } = filters;
  const kept = store ? { ...typed, store: store.id } : typed;
  const { rows } = page;
  const first = firstInvalid(errors, FILTER_FIELDS);
  return (
    <section id="admin-orders" aria-labelledby="admin-orders-title">
      <h1 id="admin-orders-title">Orders</h1>
      <form class="filters" method="get" action="/admin/orders" hx-get="/admin/orders" hx-target="#admin-orders" hx-select="#admin-orders" hx-swap="outerHTML" hx-push-url="true">
        <FormError message={errors ? (errors.cursor ?? errors.before ?? 'Please correct the highlighted filters.') : null} errors={errors} fields={FILTER_FIELDS} />
        <Input id="f-q" name="q" label="Search: order number, name, email, phone or address" value={filters.q} type="search" error={errors?.q} autofocus={first === 'q'} />
        <Select id="f-status" name="status" label="Status" value={filters.status} error={errors?.status} autofocus={first === 'status'} options={[['', 'Any status'], ...STATUSES.map((s): [string, string] => [s, STATUS_LABEL[s]])]} />
        <Input
          id="f-store"
          name="store"
          label="Store: name or number (empty for all)"
          type="search"
          value={store ? storeLabel(store) : filters.store}
          error={errors?.store}
          autofocus={first === 'store'}
          attrs={{ autocomplete: 'off', 'hx-get': '/admin/store-matches', 'hx-trigger': 'input changed delay:250ms', 'hx-include': 'closest form', 'hx-target': '#f-store-matches', 'hx-swap': 'outerHTML' }}
          after={<StoreMatches filters={{}} stores={[]} text="" />}
        />
        <Input id="f-from" name="from" label="From" type="date" value={filters.from} error={errors?.from} autofocus={first === 'from'} />
        <Input id="f-to" name="to" label="To" type="date" value={filters.to} error={errors?.to} autofocus={first === 'to'} />
        <Select id="f-sort" name="sort" label="Sort" value={filters.sort} error={errors?.sort} autofocus={first === 'sort'} options={[['newest', 'Newest first'], ['oldest', 'Oldest first'], ['total', 'Highest total']]} />
        <div class="filter-actions">
          <button type="submit">Show orders</button> <a href="/admin/orders">Clear filters</a>{' '}
          <a href={ordersUrl(kept, '/admin/orders.csv')}>Download CSV</a>
        </div>
      </form>
      <div class="table-wrap">
        <table class="admin-orders stack">
          <caption class="visually-hidden">Orders matching the filters</caption>
          <thead>
            <tr>
              <th scope="col">Order</th>
              <th scope="col">Placed</th>
              <th scope="col">Customer</th>
              <th scope="col">Stores</th>
              <th scope="col">Status</th>
              <th scope="col" class="num">To pay</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((o) => (
              <tr>
                <th scope="row">
                  <a href={`/admin/orders/${o.id}`}>{o.orderNumber}</a>
                </th>
                <td data-label="Placed">{dateTime(o.orderDate)}</td>
                <td data-label="Customer">
                  {o.customerName}
                  <br />
                  <span class="muted">{o.customerEmail}</span>
                </td>
                <td data-label="Stores">
                  <ul class="parts">
                    {o.parts.map((p) => (
                      <li>
                        {p.storeName} <span class="muted">{STATUS_LABEL[p.status].toLowerCase()}</span>
                      </li>
                    ))}
                  </ul>
                </td>
                <td data-label="Status">
                  <OrderStatusText status={o.status} progress={o.progress} />
                </td>
                <td class="num" data-label="To pay">
                  <DueAmount totalAmount={o.totalAmount} amountDue={o.amountDue} currency={currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!rows.length && <p class="empty">No orders match these filters.</p>}
      <Pager page={page} noun="Orders" url={(to) => ordersUrl({ ...kept, ...to })} />
    </section>
  );
}

export interface OverrideState {
  partId: number;
  errors?: Errors;
  message?: string;
  values?: { status?: string; reason?: string };
}

function OverrideForm({ orderId, part, state }: { orderId: number; part: SellerOrderPart; state?: OverrideState }) {
  const options = part.actions;
  if (!options.length) return <p class="muted">This part is {part.status}: no further status change is possible.</p>;
  const id = `part-${part.id}`;
  const fields = [['status', 'New status', `${id}-status`], ['reason', 'Reason', `${id}-reason`]] as const;
  const first = firstInvalid(state?.errors, fields);
  return (
    <form method="post" action={`/admin/orders/${orderId}/parts/${part.id}/status`} class="override">
      <h3>Override status</h3>
      <FormError message={state?.message} errors={state?.errors} fields={fields} />
      <Select id={`${id}-status`} name="status" label="New status" value={state?.values?.status} error={state?.errors?.status} autofocus={first === 'status'} options={options.map((s): [string, string] => [s, STATUS_LABEL[s]])} />
      <div class={state?.errors?.reason ? 'field has-error' : 'field'}>
        <label for={`${id}-reason`}>Reason (recorded in the timeline)</label>
        <textarea id={`${id}-reason`} name="reason" rows={2} required minlength={3} maxlength={500} aria-invalid={state?.errors?.reason ? 'true' : undefined} aria-describedby={state?.errors?.reason ? `${id}-reason-error` : undefined} autofocus={first === 'reason' || undefined}>
          {state?.values?.reason ?? ''}
        </textarea>
        {state?.errors?.reason && <p id={`${id}-reason-error`} class="error">{state.errors.reason}</p>}
      </div>
      <button type="submit">Override status</button>
    </form>
  );
}

const Part = ({ orderId, part, currency, state }: { orderId: number; part: SellerOrderPart; currency: string; state?: OverrideState }) => (
  <section class="card part" id={`part-${part.id}`} aria-labelledby={`part-${part.id}-title`}>
    <h2 id={`part-${part.id}-title`}>
      {part.storeName} <StatusBadge status={part.status} />
    </h2>
    <p class="muted">Last change {dateTime(part.updatedAt)}</p>
    <ItemsTable items={part.items} subtotal={part.subtotal} subtotalLabel="Store subtotal" currency={currency} />
    <OverrideForm orderId={orderId} part={part} state={state?.partId === part.id ? state : undefined} />
  </section>
);

/** The whole order for an admin: customer, every store's part with its override form, timeline. */
export const AdminOrderPage = ({ order, currency, state }: { order: OrderView; currency: string; state?: OverrideState }) => (
  <section id="admin-order" aria-labelledby="admin-order-title">
    <p>
      <a href="/admin/orders">← All orders</a>
    </p>
    <h1 id="admin-order-title">
      Order {order.orderNumber} <OrderStatusText status={order.status} progress={order.progress} />
    </h1>
    <dl class="facts">
      <dt>Placed</dt>
      <dd>{dateTime(order.orderDate)}</dd>
      <dt>Total</dt>
      <dd>{money(order.totalAmount, currency)}</dd>
      <dt>To pay on delivery</dt>
      <dd>{order.amountDue ? money(order.amountDue, currency) : 'Nothing to pay: every part is cancelled'}</dd>
      <dt>Customer</dt>
      <dd>{order.customer.name}</dd>
      <dt>Email</dt>
      <dd>
        <a href={`mailto:${order.customer.email}`}>{order.customer.email}</a>
      </dd>
      <dt>Phone</dt>
      <dd>
        <a href={`tel:${order.customer.phone.replace(/[^\d+]/g, '')}`}>{order.customer.phone}</a>
      </dd>
      <dt>Deliver to</dt>
      <dd class="address">{order.deliveryAddress}</dd>
      <dt>Notes</dt>
      <dd>{order.notes || <span class="muted">None</span>}</dd>
      <dt>Payment</dt>
      <dd>{order.paymentMethod === 'cash_on_delivery' ? 'Cash on delivery' : order.paymentMethod}</dd>
      <dt>Estimated delivery</dt>
      <dd>{order.status === 'cancelled' ? <span class="muted">None: the order is cancelled</span> : dateOnly(order.estimatedDelivery)}</dd>
    </dl>
    {order.sellerOrders.map((part) => (
      <Part orderId={order.id} part={part} currency={currency} state={state} />
    ))}
    <Timeline orderId={order.id} entries={order.timeline} />
  </section>
);

export const OutboxPage = ({ rows, nextCursor }: { rows: OutboxRow[]; nextCursor: number | null }) => (
  <section aria-labelledby="outbox-title">
    <h1 id="outbox-title">Email outbox</h1>
    <p class="muted">Emails to sellers who did not see a new order on their dashboard in time, newest first.</p>
    <div class="table-wrap">
      <table class="outbox">
        <thead>
          <tr>
            <th scope="col">Queued</th>
            <th scope="col">To</th>
            <th scope="col">Subject</th>
            <th scope="col">Sent</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((m) => (
            <tr>
              <td>{dateTime(m.createdAt)}</td>
              <td>{m.to}</td>
              <td>
                <details>
                  <summary>{m.subject}</summary>
                  <pre>{m.body}</pre>
                </details>
              </td>
              <td>{m.sentAt ? dateTime(m.sentAt) : <span class="muted">Not sent yet</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
    {!rows.length && <p class="empty">No emails yet.</p>}
    {nextCursor && (
      <p class="pager">
        <a href={`/admin/outbox?cursor=${nextCursor}`}>Older emails</a>
      </p>
    )}
  </section>
);
