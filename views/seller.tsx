import type { Child } from 'hono/jsx';
import type { Status } from '../src/db/schema.ts';
import type { SellerFigures } from '../src/orders/figures.ts';
import type { Page, SellerOrderRow as Row, TimelineEntry } from '../src/orders/queries.ts';
import type { BulkOutcome } from '../src/orders/seller-bulk.ts';
import { count, dateTime, duration } from './format.ts';
import { STATUSES, STATUS_LABEL, StatusBadge, Timeline, TimelineUpdate } from './timeline.tsx';
import { ItemsTable } from './items.tsx';
import type { AlertSettings } from '../src/notifications/alerts.ts';
import { AlertState, AlertStateUpdate, BadgeUpdate, alertAttributes } from './alerts.tsx';
import { LiveNotices, Notice, liveStream } from './live.tsx';
import { Pager, type PageLink } from './pager.tsx';

const ACTION_LABEL: Partial<Record<Status, string>> = { confirmed: 'Confirm', shipped: 'Mark shipped', delivered: 'Mark delivered' };

/** Where a tab of the dashboard lives; `to` pages to older (`cursor`) or newer (`before`) orders. */
export const tabUrl = (status?: Status, to?: PageLink) => {
  const q = new URLSearchParams();
  if (status) q.set('status', status);
  for (const [k, v] of Object.entries(to ?? {})) q.set(k, String(v));
  return q.size ? `/seller?${q}` : '/seller';
};

export interface SellerOrderRowProps {
  row: Row;
  currency: string;
  /** Highlights a row that just arrived or changed. */
  fresh?: boolean;
  /** Shows "really cancel?" in place of the buttons; `back` is where the plain form returns. */
  confirmCancel?: { back: string };
  /** Why the last action on this row did not happen. */
  message?: string;
  /**
   * The row answers an action taken on it in place: focus goes to its next action (or to its
   * link when none is left), instead of dropping to the page body with the replaced button.
   */
  focusNext?: boolean;
}

function Actions({ row, confirmCancel, focusNext }: Pick<SellerOrderRowProps, 'row' | 'confirmCancel' | 'focusNext'>) {
  const focus = focusNext || undefined;
  const url = `/seller/orders/${row.id}`;
  const swap = { 'hx-target': 'closest .seller-order', 'hx-swap': 'outerHTML' };
  const titleId = `seller-order-${row.id}-title`;
  if (confirmCancel)
    return (
      <form method="post" action={`${url}/status`} hx-post={`${url}/status`} {...swap} class="order-actions confirm-cancel">
        <p>Cancel order {row.orderNumber}? The customer is told and the stock goes back on sale.</p>
        <input type="hidden" name="back" value={confirmCancel.back} />
        <button type="submit" name="status" value="cancelled" class="danger" autofocus={focus}>
          Yes, cancel order
        </button>{' '}
        <a href={confirmCancel.back} hx-get={`${url}/row`} {...swap}>
          Keep order
        </a>
      </form>
    );
  const allowed = row.actions;
  if (!allowed.length) return null;
  return (
    <div class="order-actions">
      <form method="post" action={`${url}/status`} hx-post={`${url}/status`} {...swap} class="inline">
        {allowed
          .filter((s) => s !== 'cancelled')
          .map((s, i) => (
            <button type="submit" name="status" value={s} aria-describedby={titleId} autofocus={(focus && i === 0) || undefined}>
              {ACTION_LABEL[s]}
            </button>
          ))}
      </form>{' '}
      {allowed.includes('cancelled') && (
        <a class="button danger" href={`${url}/cancel`} hx-get={`${url}/cancel`} {...swap} aria-describedby={titleId}>
          Cancel
        </a>
      )}
    </div>
  );
}

/**
 * One store's part of an order: the one fragment shared by the dashboard, the order page, htmx
 * responses and live messages, so an update looks exactly like a reload.
 */
export function SellerOrderRow({ row, currency, fresh, confirmCancel, message, focusNext }: SellerOrderRowProps) {
  const titleId = `seller-order-${row.id}-title`;
  const actionsLeft = confirmCancel || row.actions.length > 0;
  return (
    <article id={`seller-order-${row.id}`} class={fresh ? 'seller-order fresh' : 'seller-order'} aria-labelledby={titleId}>
      <header>
        <input type="checkbox" name="ids" value={String(row.id)} form="seller-bulk" aria-label={`Select order ${row.orderNumber}`} />
        <h3 id={titleId}>
          <a href={`/seller/orders/${row.id}`} autofocus={(focusNext && !actionsLeft) || undefined}>
            {row.orderNumber}
          </a>
        </h3>
        <StatusBadge status={row.status} />
        <time datetime={row.orderDate}>{dateTime(row.orderDate)}</time>
      </header>
      <ItemsTable items={row.items} subtotal={row.subtotal} subtotalLabel="Your subtotal" currency={currency} />
      <dl class="customer">
        <dt>Customer</dt>
        <dd>{row.customer.name}</dd>
        <dt>Phone</dt>
        <dd>
          <a href={`tel:${row.customer.phone.replace(/[^\d+]/g, '')}`}>{row.customer.phone}</a>
        </dd>
        <dt>Email</dt>
        <dd>
          <a href={`mailto:${row.customer.email}`}>{row.customer.email}</a>
        </dd>
        <dt>Deliver to</dt>
        <dd class="address">{row.deliveryAddress}</dd>
        <dt>Notes</dt>
        <dd>{row.notes || <span class="muted">None</span>}</dd>
      </dl>
      {message && (
        <p class="row-message" role="alert">
          {message}
        </p>
      )}
      <Actions row={row} confirmCancel={confirmCancel} focusNext={focusNext} />
    </article>
  );
}

type Counts = Record<Status, number>;
const tabCount = (counts: Counts, status?: Status) => (status ? counts[status] : Object.values(counts).reduce((a, b) => a + b, 0));
const TabCount = ({ n }: { n: number }) => <span class="count">{count(n)}</span>;

/** The status tabs with their counts; htmx responses replace it to keep the counts right. */
export function SellerTabs({ counts, current }: { counts: Counts; current?: Status }) {
  const tab = (label: string, status?: Status) => (
    <li>
      <a href={tabUrl(status)} aria-current={current === status ? 'page' : undefined}>
        {label} <TabCount n={tabCount(counts, status)} />
      </a>
    </li>
  );
  return (
    <nav id="seller-tabs" class="tabs" aria-label="Orders by status">
      <ul>
        {tab('All')}
        {STATUSES.map((s) => tab(STATUS_LABEL[s], s))}
      </ul>
    </nav>
  );
}

/**
 * Live count changes for some tabs (`undefined` is "All"). A live message is rendered once for
 * every open dashboard, whichever tab it shows, so it replaces counts rather than the tabs.
 */
export const TabCountUpdates = ({ counts, tabs }: { counts: Counts; tabs: readonly (Status | undefined)[] }) => (
  <>
    {tabs.map((status) => (
      <hx-partial hx-target={`#seller-tabs a[href="${tabUrl(status)}"] .count`} hx-swap="outerHTML">
        <TabCount n={tabCount(counts, status)} />
      </hx-partial>
    ))}
  </>
);

/** The store's figures again, after an order came or changed. */
export const FiguresUpdate = ({ figures }: { figures: SellerFigures }) => (
  <hx-partial hx-target="#seller-figures" hx-swap="outerHTML">
    <SellerFiguresPanel figures={figures} />
  </hx-partial>
);

/** Updates that ride along with a row swap: the tab counts, the figures and a message for screen readers. */
export const SellerSideUpdates = ({ counts, figures, current, note }: { counts: Counts; figures: SellerFigures; current?: Status; note: Child }) => (
  <>
    <hx-partial hx-target="#seller-tabs" hx-swap="outerHTML">
      <SellerTabs counts={counts} current={current} />
    </hx-partial>
    <FiguresUpdate figures={figures} />
    <hx-partial hx-target="#seller-message" hx-swap="innerHTML">
      {note}
    </hx-partial>
  </>
);

interface LiveProps {
  row: Row;
  currency: string;
  counts: Counts;
  figures: SellerFigures;
  /** The seller's unread notifications, for the badge in the navigation. */
  unread: number;
  noticeId: number;
}


/**
 * The live message for a new order. The row goes in with htmx's upsert swap (hx-upsert.js): a row
 * with the same id already on the page is replaced, not doubled (a page and the replay after its
 * `?after=` can both hold an order placed while the page was read), and a new one goes in by id,
 * newest first. Only a list that shows the newest orders (`data-new-orders`) takes it.
 */
export const NewOrderUpdate = ({ row, currency, counts, figures, unread, noticeId, unacked }: LiveProps & { unacked: number }) => (
  <>
    <AlertStateUpdate unacked={unacked} />
    <FiguresUpdate figures={figures} />
    <hx-upsert hx-target="#seller-orders[data-new-orders]" sort="desc">
      <SellerOrderRow row={row} currency={currency} fresh />
    </hx-upsert>
    <hx-partial hx-target="#seller-empty" hx-swap="delete"></hx-partial>
    <TabCountUpdates counts={counts} tabs={[undefined, 'pending']} />
    <BadgeUpdate unread={unread} />
    <hx-partial hx-target="#live-notices" hx-swap="afterbegin">
      <Notice id={noticeId} type="order_notification">
        New order {row.orderNumber} from {row.customer.name}
      </Notice>
    </hx-partial>
  </>
);

/**
 * The live message when someone else (the customer, an admin) changed the seller's part: the row
 * in place, and the timeline where the order's own page shows it.
 */
export const ChangedOrderUpdate = ({ row, currency, counts, figures, unread, noticeId, from, timeline }: LiveProps & { from?: Status; timeline: TimelineEntry[] }) => (
  <>
    <FiguresUpdate figures={figures} />
    <hx-partial hx-target={`#seller-order-${row.id}`} hx-swap="outerHTML">
      <SellerOrderRow row={row} currency={currency} fresh />
    </hx-partial>
    <TimelineUpdate orderId={row.id} entries={timeline} />
    <TabCountUpdates counts={counts} tabs={from ? [from, row.status] : STATUSES} />
    <BadgeUpdate unread={unread} />
    <hx-partial hx-target="#live-notices" hx-swap="afterbegin">
      <Notice id={noticeId} type="order_status_update">
        Order {row.orderNumber} is now {STATUS_LABEL[row.status].toLowerCase()}
      </Notice>
    </hx-partial>
  </>
);

/** What a bulk action did, order by order, with the reason for each one left unchanged (listed once). */
export function BulkReport({ to, outcomes }: { to: Status; outcomes: BulkOutcome[] }) {
  const failed = outcomes.filter((o) => o.error);
  if (!outcomes.length) return <div class="bulk-report"><p>Select at least one order first.</p></div>;
  return (
    <div class="bulk-report">
      <p>{bulkHead(to, outcomes)}</p>
      {failed.length > 0 && (
        <>
          <p>Not changed:</p>
          <ul class="failures">
            {failed.map((o) => (
              <li>
                {o.orderNumber}: {o.error}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

/** What changed, in one sentence. */
function bulkHead(to: Status, outcomes: BulkOutcome[]) {
  const done = outcomes.filter((o) => !o.error);
  return done.length ? `${STATUS_LABEL[to]}: ${done.map((o) => o.orderNumber).join(', ')}.` : `No order was ${to}.`;
}

/** The same report as one line, for the message after a redirect. */
export function bulkSummary(to: Status, outcomes: BulkOutcome[]) {
  const failed = outcomes.filter((o) => o.error);
  const head = bulkHead(to, outcomes);
  return failed.length ? `${head} Not changed: ${failed.map((o) => `${o.orderNumber} (${o.error})`).join('; ')}` : head;
}

export interface DashboardProps {
  counts: Counts;
  status?: Status;
  page: Page<Row>;
  currency: string;
  /** Placed at the top of the dashboard, e.g. the live stream element. */
  live?: Child;
  /** The list shows the newest orders a new one belongs above (first page of "All" or "Pending"): live rows go in. */
  takesNewOrders?: boolean;
  figures?: SellerFigures;
}

export function SellerDashboard({ counts, status, page, currency, live, takesNewOrders, figures }: DashboardProps) {
  const { rows } = page;
  return (
    <section id="seller-dashboard" aria-labelledby="seller-title">
      {live}
      <h1 id="seller-title">Orders</h1>
      {figures && <SellerFiguresPanel figures={figures} />}
      <SellerTabs counts={counts} current={status} />
      <div id="seller-message" role="status" aria-live="polite"></div>
      <form id="seller-bulk" class="bulk" method="post" action="/seller/bulk" hx-post="/seller/bulk" hx-target="#seller-message" hx-swap="innerHTML">
        <span>Selected orders:</span>
        <button type="submit" name="status" value="confirmed" class="secondary">
          Confirm selected
        </button>
        <button type="submit" name="status" value="shipped" class="secondary">
          Mark selected shipped
        </button>
      </form>
      <div id="seller-orders" data-new-orders={takesNewOrders ? 'top' : undefined}>
        {rows.map((row) => (
          <SellerOrderRow row={row} currency={currency} />
        ))}
      </div>
      {!rows.length && (
        <p class="empty" id={takesNewOrders ? 'seller-empty' : undefined}>
          {status ? `No ${status} orders.` : 'No orders yet.'}
        </p>
      )}
      <Pager page={page} noun="Orders" url={(to) => tabUrl(status, to)} />
    </section>
  );
}

/**
 * The seller's part of one order, with its timeline. `after`: the seller's newest notification id
 * when the page was read; its stream keeps the row, the timeline and the badge live from there.
 */
export const SellerOrderPage = ({ row, currency, timeline, after, alerts }: { row: Row; currency: string; timeline: TimelineEntry[]; after: number; alerts: AlertSettings }) => (
  <section class="seller-order-page" aria-labelledby="order-title">
    <p>
      <a href="/seller">← All orders</a>
    </p>
    <h1 id="order-title">Order {row.orderNumber}</h1>
    <div id="seller-live" {...liveStream(after)} {...alertAttributes(alerts)}>
      <AlertState unacked={alerts.unacked} />
      <LiveNotices id="live-notices" />
    </div>
    <div id="seller-message" role="status" aria-live="polite"></div>
    <SellerOrderRow row={row} currency={currency} />
    <Timeline orderId={row.id} entries={timeline} />
  </section>
);

/** The store's own figures at the top of its dashboard: what the shop judges it by. */
export const SellerFiguresPanel = ({ figures }: { figures: SellerFigures }) => (
  <dl id="seller-figures" class="seller-figures" aria-label="Your store's figures">
    <div>
      <dt>Orders today</dt>
      <dd>{count(figures.ordersToday)}</dd>
    </div>
    <div>
      <dt>Not yet opened</dt>
      <dd>{count(figures.unacknowledged)}</dd>
    </div>
    <div>
      <dt>Median time to confirm (30 days)</dt>
      <dd>
        {figures.medianConfirmSeconds === null ? (
          <span class="muted">No confirmed orders yet</span>
        ) : (
          <>
            {duration(figures.medianConfirmSeconds)} <span class="muted">over {count(figures.confirmed)} confirmed</span>
          </>
        )}
      </dd>
    </div>
  </dl>
);

/** Without JavaScript, "Cancel" opens this page to confirm. */
export const CancelConfirmPage = ({ row, currency, back }: { row: Row; currency: string; back: string }) => (
  <section aria-labelledby="cancel-title">
    <h1 id="cancel-title">Cancel order {row.orderNumber}?</h1>
    <SellerOrderRow row={row} currency={currency} confirmCancel={{ back }} />
  </section>
);
