import { OrderLiveUpdate, OrderSeenUpdate } from '../../views/orders.tsx';
import { ReadUpdate } from '../../views/alerts.tsx';
import { ChangedOrderUpdate, FiguresUpdate, NewOrderUpdate } from '../../views/seller.tsx';
import { Hono } from 'hono';
import type { Db } from '../db/client.ts';
import type { AppEnv, Deps } from '../env.ts';
import { SELLER_ORDER_STATUSES, type Role, type Status } from '../db/schema.ts';
import type { StreamFormat } from '../notifications/formats.ts';
import { streamUser } from '../notifications/routes.ts';
import type { Notice } from '../notifications/store.ts';
import { openStream } from '../notifications/streams.ts';
import { sellerTallies } from './dashboard.ts';
import { orderFor, sellerOrderRow, type Viewer } from './queries.ts';

/** Who the notice is for, their unread count for the badge and their unacknowledged new orders (alerts), in one query. */
async function recipientOf(sql: Db, userId: string) {
  const [row] = await sql<{ role: Role; unread: number; unacked: number }[]>`
    select role, coalesce(unread.n, 0)::int as unread, coalesce(unread.new, 0)::int as unacked
    from users u left join lateral (
      select count(*) as n, count(*) filter (where type = 'order_notification') as new
      from notifications where recipient_id = u.id and read_at is null) unread on true
    where u.id = ${userId}`;
  return row;
}

type Recipient = NonNullable<Awaited<ReturnType<typeof recipientOf>>>;

const statusOf = (value: unknown) => SELLER_ORDER_STATUSES.find((s): s is Status => s === value);

async function forSeller(sql: Db, viewer: Viewer, { unread, unacked }: Recipient, currency: string, notice: Notice) {
  if (notice.type === 'notifications_read') {
    const { figures } = await sellerTallies(sql, viewer);
    return (
      <>
        <ReadUpdate unread={unread} unacked={unacked} />
        <FiguresUpdate figures={figures} />
      </>
    );
  }
  const orderId = notice.orderId!; // only notifications_read may be about no order (a check constraint)
  const isNew = notice.type === 'order_notification';
  // A new order has nothing but "placed" on its timeline yet; a change does (and is far rarer), so only it reads the timeline.
  const [row, { counts, figures }, order] = await Promise.all([
    sellerOrderRow(sql, viewer, orderId),
    sellerTallies(sql, viewer),
    isNew ? undefined : orderFor(sql, viewer, orderId),
  ]);
  const props = { row, currency, counts, figures, unread, noticeId: notice.id };
  if (!order) return <NewOrderUpdate {...props} unacked={unacked} />;
  return <ChangedOrderUpdate {...props} from={statusOf(notice.payload.from)} timeline={order.timeline} />;
}

async function forCustomer(sql: Db, viewer: Viewer, currency: string, notice: Notice) {
  if (notice.orderId === null) return null;
  const order = await orderFor(sql, viewer, notice.orderId);
  const part = order.sellerOrders.find((p) => p.id === notice.sellerOrderId);
  if (!part) return null;
  if (notice.type === 'order_seen') return <OrderSeenUpdate order={order} part={part} noticeId={notice.id} />;
  return <OrderLiveUpdate order={order} part={part} noticeId={notice.id} currency={currency} />;
}

/**
 * The HTML a page's stream sends for one notice: `<hx-partial>` fragments rendered by the same
 * components as the pages. Everything is read as the recipient (the scoped order queries), so a
 * message can only hold what that user may see. `order_confirmed` travels beside the
 * `order_status_update` of the same change, which already carries it, so it renders nothing.
 */
async function pageMessage(sql: Db, currency: string, notice: Notice): Promise<string> {
  if (notice.type === 'order_confirmed') return '';
  const recipient = await recipientOf(sql, notice.recipientId);
  if (!recipient) return '';
  const viewer = { id: notice.recipientId, role: recipient.role };
  const body =
    recipient.role === 'seller'
      ? await forSeller(sql, viewer, recipient, currency, notice)
      : recipient.role === 'customer'
        ? await forCustomer(sql, viewer, currency, notice)
        : null;
  return body ? String(await body.toString()) : '';
}

const pageFormats = new WeakMap<Deps, StreamFormat>();

/**
 * The pages' stream format: unnamed messages of `<hx-partial>` fragments that htmx swaps. One
 * object per app, so that the stream renders each notice once however many of the recipient's
 * tabs receive it.
 */
export function pageFormat(deps: Deps): StreamFormat {
  let format = pageFormats.get(deps);
  if (!format)
    pageFormats.set(deps, (format = { render: (n) => pageMessage(deps.database.sql, deps.config.CURRENCY, n), sessionEnded: 'event: session_ended\ndata: {}\n\n' }));
  return format;
}

// Pages connect here (public/live.js, one stream per browser): the order fragments above, for htmx to swap.
export const pageStream = new Hono<AppEnv>().get('/events', streamUser, (c) => openStream(c, pageFormat(c.get('deps'))));
