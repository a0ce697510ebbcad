import { Hono, type Context } from 'hono';
import { AdminOrderPage, AdminOrdersPage, OutboxPage, StoreMatches } from '../../views/admin.tsx';
import { DeliveryPage } from '../../views/delivery.tsx';
import { StatsPage } from '../../views/stats.tsx';
import { StoresPage } from '../../views/stores.tsx';
import { requireRole } from '../auth/middleware.ts';
import { formBody } from '../http/body.ts';
import type { AppEnv, SignedInEnv } from '../env.ts';
import { Invalid } from '../http/errors.ts';
import { attempt, formAgain } from '../http/forms.ts';
import { page, setFlash } from '../http/render.tsx';
import { parse } from '../http/validate.ts';
import { deliveryHealth } from '../notifications/delivery.ts';
import { orderFor } from '../orders/queries.ts';
import { pathId } from '../orders/schemas.ts';
import { changeStatus } from '../orders/service.ts';
import { CSV_HEADER, csvLine, csvRow } from './csv.ts';
import { orderFiltersSchema, outboxPageSchema, overrideSchema, statsFiltersSchema, storesQuerySchema } from './schemas.ts';
import { adminOrders, allFilteredOrders, outbox } from './service.ts';
import { stats } from './stats.ts';
import { findStore, storeMatches } from './store-search.ts';
import { storesPage } from './stores.ts';

type C = Context<SignedInEnv>;
const deps = (c: C) => ({ sql: c.get('deps').database.sql, currency: c.get('deps').config.CURRENCY, admin: c.get('user') });

/**
 * The order list's filters with the store resolved to one id (typed as a number, a label or the
 * start of a name), or the list page again with the messages next to the fields (422).
 */
async function filtersOf(c: C) {
  const query = c.req.query();
  const { sql, currency } = deps(c);
  const read = await attempt(async () => {
    const filters = parse(orderFiltersSchema, query);
    const store = filters.store ? await findStore(sql, filters.store) : null;
    return { filters: { ...filters, store: store?.id }, store };
  });
  if (read.ok) return { ...read.value, query };
  const errors = read.error.fields ?? { q: read.error.message };
  return { refused: formAgain(c, read, <AdminOrdersPage filters={query} store={null} page={{ rows: [], nextCursor: null }} currency={currency} errors={errors} />) };
}

export const adminRoutes = new Hono<AppEnv>()
  .use('/admin/*', requireRole('admin'))
  .get('/admin/orders', async (c) => {
    const { sql, currency } = deps(c);
    const read = await filtersOf(c);
    if (read.refused) return read.refused;
    const { filters, query, store } = read;
    const list = await adminOrders(sql, filters);
    return page(c, 'Orders', <AdminOrdersPage filters={query} store={store} page={list} currency={currency} />);
  })
  // The store field's search as you type: the stores matching the text, each a link to the list
  // filtered by it (the form's other fields kept). Without JavaScript the form resolves the text.
  .get('/admin/store-matches', async (c) => {
    const query = c.req.query();
    const text = query.store?.trim().slice(0, 100) ?? '';
    const stores = text ? await storeMatches(deps(c).sql, text) : [];
    return c.html(<StoreMatches filters={query} stores={stores} text={text} />);
  })
  .get('/admin/orders.csv', async (c) => {
    const { sql, currency } = deps(c);
    const read = await filtersOf(c);
    if (read.refused) return read.refused;
    const batches = allFilteredOrders(sql, read.filters);
    const encoder = new TextEncoder();
    let headerSent = false;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (!headerSent) {
          headerSent = true;
          // A byte order mark so that spreadsheets read the file as UTF-8.
          return controller.enqueue(encoder.encode(`\ufeff${csvLine(CSV_HEADER)}`));
        }
        const next = await batches.next();
        if (next.done) return controller.close();
        controller.enqueue(encoder.encode(next.value.map((o) => csvRow(o, currency)).join('')));
      },
      async cancel() {
        await batches.return(undefined);
      },
    });
    const stamp = new Date().toISOString().slice(0, 10);
    return c.body(body, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="orders-${stamp}.csv"` });
  })
  .get('/admin/orders/:id', async (c) => {
    const { sql, currency, admin } = deps(c);
    const order = await orderFor(sql, admin, pathId(c.req.param('id')));
    return page(c, `Order ${order.orderNumber}`, <AdminOrderPage order={order} currency={currency} />);
  })
  .post('/admin/orders/:id/parts/:partId/status', async (c) => {
    const { sql, currency, admin } = deps(c);
    const orderId = pathId(c.req.param('id'));
    const partId = pathId(c.req.param('partId'));
    const order = await orderFor(sql, admin, orderId);
    const values = await formBody(c);
    const changed = await attempt(async () => {
      const { status, reason } = parse(overrideSchema, values);
      await changeStatus(sql, admin, orderId, status, { sellerOrderId: partId, reason });
      return status;
    });
    if (!changed.ok) {
      const { error } = changed;
      const state = { partId, values, errors: error.fields, message: error instanceof Invalid ? undefined : error.message };
      return formAgain(c, changed, <AdminOrderPage order={order} currency={currency} state={state} />);
    }
    const status = changed.value;
    const part = order.sellerOrders.find((p) => p.id === partId);
    setFlash(c, `${part?.storeName ?? 'The part'} of ${order.orderNumber} is now ${status}.`);
    return c.redirect(`/admin/orders/${orderId}`, 303);
  })
  .get('/admin/stats', async (c) => {
    const { sql, currency } = deps(c);
    const values = c.req.query();
    const read = await attempt(async () => {
      const filters = parse(statsFiltersSchema, values);
      return stats(sql, filters, filters.store ? await findStore(sql, filters.store) : null);
    });
    if (!read.ok) return formAgain(c, read, <StatsPage stats={null} values={values} errors={read.error.fields ?? { store: read.error.message }} currency={currency} />);
    return page(c, 'Stats', <StatsPage stats={read.value} values={values} currency={currency} />);
  })
  .get('/admin/stores', async (c) => {
    const values = c.req.query();
    const read = await attempt(() => storesPage(deps(c).sql, c.get('deps').config.SSE_HEARTBEAT_SECONDS, parse(storesQuerySchema, values)));
    if (!read.ok) return formAgain(c, read, <StoresPage filters={values} page={{ rows: [], nextCursor: null }} errors={read.error.fields ?? { q: read.error.message }} />);
    return page(c, 'Stores', <StoresPage filters={values} page={read.value} />);
  })
  .get('/admin/delivery', async (c) => page(c, 'Notification delivery', <DeliveryPage health={await deliveryHealth(deps(c).sql)} />))
  .get('/admin/outbox', async (c) => {
    const { cursor } = parse(outboxPageSchema, c.req.query());
    const list = await outbox(deps(c).sql, cursor);
    return page(c, 'Email outbox', <OutboxPage rows={list.rows} nextCursor={list.nextCursor} />);
  });
