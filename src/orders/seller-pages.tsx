import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { BulkReport, CancelConfirmPage, FiguresUpdate, SellerDashboard, SellerOrderPage, SellerOrderRow, SellerSideUpdates, SellerTabs, bulkSummary } from '../../views/seller.tsx';
import { SellerLiveBar } from '../../views/live.tsx';
import { AwaySummary } from '../../views/alerts.tsx';
import { TimelineUpdate } from '../../views/timeline.tsx';
import { requireRole } from '../auth/middleware.ts';
import { SELLER_ORDER_STATUSES } from '../db/schema.ts';
import { formBody } from '../http/body.ts';
import { safeRedirect } from '../http/redirect.ts';
import type { AppEnv, SignedInEnv } from '../env.ts';
import { Conflict } from '../http/errors.ts';
import { isPartial, page, respond, setFlash } from '../http/render.tsx';
import { isOwnNavigation } from '../http/request-facts.ts';
import { parse } from '../http/validate.ts';
import { alertSettings, alertSettingsFor, awaySummary } from '../notifications/alerts.ts';
import { latestId, markOrderRead } from '../notifications/store.ts';
import { sellerDashboard, sellerTallies } from './dashboard.ts';
import { orderFor, sellerOrderRow } from './queries.ts';
import { idParam, pageSchema, pathId } from './schemas.ts';
import { MAX_BULK_ORDERS, changeMany } from './seller-bulk.ts';
import { changeStatus, markSeen } from './service.ts';

type C = Context<SignedInEnv>;

const statusForm = z.object({
  status: z.enum(SELLER_ORDER_STATUSES, { error: 'Choose what to do with the order.' }),
  back: z.string().optional(),
});
const bulkForm = z.object({
  status: z.enum(['confirmed', 'shipped'], { error: 'Choose Confirm or Mark shipped.' }),
  ids: z.array(idParam).max(MAX_BULK_ORDERS, `Choose at most ${MAX_BULK_ORDERS} orders at a time.`).default([]),
});

const ctx = (c: C) => ({ sql: c.get('deps').database.sql, viewer: c.get('user'), currency: c.get('deps').config.CURRENCY });
const alertsOf = (c: C) => alertSettings(c.get('deps').database.sql, c.get('deps').config, c.get('user').id);
const awayQuery = z.object({ after: z.string({ error: 'A notification id (a whole number).' }).regex(/^\d{1,15}$/, 'A notification id (a whole number).').transform(Number) });
const orderId = (c: C) => pathId(c.req.param('id'));

/** The page a plain form returns to: the form's `back`, else the page it was sent from, else the dashboard. */
function backTo(c: C, back?: string) {
  if (back) return safeRedirect(back, '/seller');
  const header = c.req.header('referer');
  const referer = header ? URL.parse(header) : null;
  return referer?.origin === new URL(c.req.url).origin ? safeRedirect(referer.pathname + referer.search, '/seller') : '/seller';
}

/** The tab the request came from, so that the tabs keep showing it after an htmx swap. */
const currentTab = (c: C) => {
  const from = c.req.header('hx-current-url');
  const status = from ? new URL(from, c.req.url).searchParams.get('status') : null;
  return SELLER_ORDER_STATUSES.find((s) => s === status);
};

/** Whether the htmx request came from this order's own page, which shows its timeline. */
const fromOrderPage = (c: C, id: number) => {
  const from = c.req.header('hx-current-url');
  return !!from && new URL(from, c.req.url).pathname === `/seller/orders/${id}`;
};

export const sellerPages = new Hono<AppEnv>()
  .use('/seller', requireRole('seller'))
  .use('/seller/*', requireRole('seller'))
  .get('/seller', async (c) => {
    const { sql, viewer, currency } = ctx(c);
    const query = parse(pageSchema, c.req.query());
    const { after, counts, figures, unread, page: list } = await sellerDashboard(sql, viewer, query);
    // The badge's count was read with the page's other figures; the navigation need not read it again.
    c.set('navCounts', async () => ({ cart: 0, unread }));
    // So was the unacknowledged count that the alerts start from.
    const alerts = alertSettingsFor(c.get('deps').config, figures.unacknowledged);
    const takesNewOrders = !query.cursor && !query.before && (!query.status || query.status === 'pending');
    return page(
      c,
      'Orders',
      <SellerDashboard
        counts={counts}
        status={query.status}
        page={list}
        currency={currency}
        live={<SellerLiveBar after={after} alerts={alerts} />}
        takesNewOrders={takesNewOrders}
        figures={figures}
      />,
    );
  })
  .get('/seller/orders/:id', async (c) => {
    const { sql, viewer, currency } = ctx(c);
    const id = orderId(c);
    // Read before the order, so a change committed in between is replayed by the stream rather than lost.
    const after = await latestId(sql, viewer.id);
    const row = await sellerOrderRow(sql, viewer, id);
    // Only the seller's own navigation counts as seeing it: a link on another site would otherwise
    // mark it seen and read, and stop the email that tells the store about an order nobody saw.
    if (isOwnNavigation(c)) await Promise.all([markSeen(sql, viewer, id), markOrderRead(sql, viewer.id, id)]);
    const [order, alerts] = await Promise.all([orderFor(sql, viewer, id), alertsOf(c)]);
    return page(c, `Order ${row.orderNumber}`, <SellerOrderPage row={row} currency={currency} timeline={order.timeline} after={after} alerts={alerts} />);
  })
  // "While you were away" (public/app.js asks when the dashboard comes back): the new orders after the newest notification it had.
  .get('/seller/away', async (c) => {
    const { sql, viewer, currency } = ctx(c);
    const { after } = parse(awayQuery, c.req.query());
    return c.html(<AwaySummary summary={await awaySummary(sql, viewer.id, after)} currency={currency} />);
  })
  .get('/seller/orders/:id/row', async (c) => {
    const { sql, viewer, currency } = ctx(c);
    const row = await sellerOrderRow(sql, viewer, orderId(c));
    return respond(c, `Order ${row.orderNumber}`, <SellerOrderRow row={row} currency={currency} focusNext={isPartial(c)} />);
  })
  .get('/seller/orders/:id/cancel', async (c) => {
    const { sql, viewer, currency } = ctx(c);
    const row = await sellerOrderRow(sql, viewer, orderId(c));
    const back = backTo(c);
    if (isPartial(c)) return c.html(<SellerOrderRow row={row} currency={currency} confirmCancel={{ back }} focusNext />);
    return page(c, `Cancel order ${row.orderNumber}?`, <CancelConfirmPage row={row} currency={currency} back={back} />);
  })
  .post('/seller/orders/:id/status', async (c) => {
    const { sql, viewer, currency } = ctx(c);
    const id = orderId(c);
    const form = parse(statusForm, await formBody(c));
    let refused: string | undefined;
    try {
      await changeStatus(sql, viewer, id, form.status);
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      refused = err.message;
    }
    const row = await sellerOrderRow(sql, viewer, id);
    const note = refused ? `${row.orderNumber} was not changed: ${refused}` : `${row.orderNumber} is now ${row.status}.`;
    if (!isPartial(c)) {
      setFlash(c, note);
      return c.redirect(backTo(c, form.back), 303);
    }
    const [{ counts, figures }, order] = await Promise.all([sellerTallies(sql, viewer), fromOrderPage(c, id) ? orderFor(sql, viewer, id) : undefined]);
    return c.html(
      <>
        <SellerOrderRow row={row} currency={currency} message={refused} focusNext />
        <SellerSideUpdates counts={counts} figures={figures} current={currentTab(c)} note={note} />
        {order && <TimelineUpdate orderId={id} entries={order.timeline} />}
      </>,
      refused ? 409 : 200,
    );
  })
  .post('/seller/bulk', async (c) => {
    const { sql, viewer, currency } = ctx(c);
    const form = parse(bulkForm, await formBody(c, ['ids']));
    const outcomes = await changeMany(sql, viewer, form.ids, form.status);
    if (!isPartial(c)) {
      setFlash(c, outcomes.length ? bulkSummary(form.status, outcomes) : 'Select at least one order first.');
      return c.redirect(backTo(c), 303);
    }
    const changed = await Promise.all(outcomes.filter((o) => !o.error).map((o) => sellerOrderRow(sql, viewer, o.orderId)));
    const { counts, figures } = await sellerTallies(sql, viewer);
    return c.html(
      <>
        <BulkReport to={form.status} outcomes={outcomes} />
        <FiguresUpdate figures={figures} />
        {changed.map((row) => (
          <hx-partial hx-target={`#seller-order-${row.id}`} hx-swap="outerHTML">
            <SellerOrderRow row={row} currency={currency} fresh />
          </hx-partial>
        ))}
        <hx-partial hx-target="#seller-tabs" hx-swap="outerHTML">
          <SellerTabs counts={counts} current={currentTab(c)} />
        </hx-partial>
      </>,
    );
  });
