import type { Child } from 'hono/jsx';
import type { Stats } from '../src/admin/stats.ts';
import { Input } from './admin.tsx';
import { BarChart, ColumnChart } from './charts.tsx';
import { count, dateOnly, duration, money } from './format.ts';
import { FormError, type Errors } from './forms.tsx';
import { STATUSES, STATUS_LABEL } from './timeline.tsx';

const dayText = (day: string) => dateOnly(`${day}T00:00:00Z`);
const plural = (n: number, one: string, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;

export interface StatsFormValues {
  store?: string;
  from?: string;
  to?: string;
}

/** A plain GET form: a store by name or number (never a list of every store) and a range of days. */
const StatsForm = ({ values, errors }: { values: StatsFormValues; errors?: Errors }) => (
  <form class="filters" method="get" action="/admin/stats">
    <FormError message={errors ? 'Please correct the highlighted fields.' : null} />
    <Input id="s-store" name="store" label="Store (name or number; empty for all)" value={values.store} type="search" error={errors?.store} />
    <Input id="s-from" name="from" label="From (UTC day)" type="date" value={values.from} error={errors?.from} />
    <Input id="s-to" name="to" label="To (UTC day)" type="date" value={values.to} error={errors?.to} />
    <div class="filter-actions">
      <button type="submit">Show stats</button> <a href="/admin/stats">Last 30 days, all stores</a>
    </div>
  </form>
);

/** The busiest bar, for a chart's summary. */
const peak = <T,>(rows: T[], value: (r: T) => number) => rows.reduce<T | undefined>((a, r) => (a === undefined || value(r) > value(a) ? r : a), undefined);

export function StatsPage({ stats, values, errors, currency }: { stats: Stats | null; values: StatsFormValues; errors?: Errors; currency: string }) {
  return (
    <section class="stats" aria-labelledby="stats-title">
      <h1 id="stats-title">Stats</h1>
      <StatsForm values={stats ? { store: values.store, from: stats.from, to: stats.to } : values} errors={errors} />
      {stats && <StatsFigures stats={stats} currency={currency} />}
    </section>
  );
}

function StatsFigures({ stats, currency }: { stats: Stats; currency: string }) {
  const range = `${dayText(stats.from)} to ${dayText(stats.to)}`;
  const who = stats.store ? `${stats.store.name} (#${stats.store.id})` : 'all stores';
  const busiest = peak(stats.days, (d) => d.orders);
  const richest = peak(stats.days, (d) => d.revenue);
  const times = [...stats.confirmTimes].sort((a, b) => a.medianSeconds - b.medianSeconds);
  const storeRows = stats.stores.map((s) => ({ label: s.storeName, orders: s.orders, revenue: s.revenue }));
  if (stats.otherStores) storeRows.push({ label: `${plural(stats.otherStores.stores, 'other store')}`, orders: stats.otherStores.orders, revenue: stats.otherStores.revenue });
  return (
    <>
      <p id="stats-summary">
        {range} (UTC), {who}: <strong>{plural(stats.orders, 'order')}</strong>, {plural(stats.storeOrders, 'store order')} (one per store in an order),
        revenue <strong>{money(stats.revenue, currency)}</strong>. Revenue counts the parts of orders that are not cancelled.
      </p>
      <div class="charts">
        <ColumnChart
          id="chart-orders"
          title={`Orders per day, ${range}`}
          summary={`${plural(stats.orders, 'order')} in all${busiest?.orders ? `; the most on ${dayText(busiest.day)}, ${count(busiest.orders)}` : ''}.`}
          bars={stats.days.map((d) => ({ label: dayText(d.day), value: d.orders, text: plural(d.orders, 'order') }))}
          axis={(v) => count(Math.round(v))}
        />
        <ColumnChart
          id="chart-revenue"
          title={`Revenue per day, ${range}`}
          summary={`${money(stats.revenue, currency)} in all${richest?.revenue ? `; the most on ${dayText(richest.day)}, ${money(richest.revenue, currency)}` : ''}.`}
          bars={stats.days.map((d) => ({ label: dayText(d.day), value: d.revenue, text: money(d.revenue, currency) }))}
          axis={(v) => money(Math.round(v), currency).replace(/\.00$/, '')}
        />
        {times.length > 0 && (
          <BarChart
            id="chart-confirm"
            title="Median time from order to confirmation, per store"
            summary={`${plural(times.length, 'store')} with confirmed orders in the range; fastest ${times[0]!.storeName} (${duration(times[0]!.medianSeconds)}), slowest ${times.at(-1)!.storeName} (${duration(times.at(-1)!.medianSeconds)}).`}
            bars={stats.confirmTimes.map((c) => ({ label: c.storeName, value: c.medianSeconds, text: duration(c.medianSeconds) }))}
          />
        )}
      </div>
      <div class="stats-grid">
        <table id="stats-statuses">
          <caption>Store orders by status</caption>
          <tbody>
            {STATUSES.map((s) => (
              <tr>
                <th scope="row">{STATUS_LABEL[s]}</th>
                <td class="num">{count(stats.statuses[s])}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td class="num">{count(stats.storeOrders)}</td>
            </tr>
          </tfoot>
        </table>
        <table id="stats-confirm">
          <caption>Median time from order to confirmation</caption>
          <thead>
            <tr>
              <th scope="col">Store</th>
              <th scope="col" class="num">Median</th>
              <th scope="col" class="num">Confirmed</th>
            </tr>
          </thead>
          <tbody>
            {stats.confirmTimes.map((c) => (
              <tr>
                <th scope="row">{c.storeName}</th>
                <td class="num">{duration(c.medianSeconds)}</td>
                <td class="num">{count(c.confirmed)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!stats.confirmTimes.length && <p class="empty">No store confirmed an order placed in this range.</p>}
      <VolumeTable id="stats-stores" caption="Store orders and revenue per store" first="Store" rows={storeRows} total={{ orders: stats.storeOrders, revenue: stats.revenue }} currency={currency} />
      <VolumeTable
        id="stats-days"
        caption="Orders and revenue per day, newest first"
        first="Day"
        rows={[...stats.days].reverse().map((d) => ({ label: <time datetime={d.day}>{dayText(d.day)}</time>, orders: d.orders, revenue: d.revenue }))}
        total={{ orders: stats.orders, revenue: stats.revenue }}
        currency={currency}
      />
    </>
  );
}

interface Volume {
  orders: number;
  revenue: number;
}

/** Orders and revenue per row (a store, a day), with their total. */
const VolumeTable = (p: { id: string; caption: string; first: string; rows: (Volume & { label: Child })[]; total: Volume; currency: string }) => (
  <table id={p.id}>
    <caption>{p.caption}</caption>
    <thead>
      <tr>
        <th scope="col">{p.first}</th>
        <th scope="col" class="num">Orders</th>
        <th scope="col" class="num">Revenue</th>
      </tr>
    </thead>
    <tbody>
      {p.rows.map((r) => (
        <tr>
          <th scope="row">{r.label}</th>
          <td class="num">{count(r.orders)}</td>
          <td class="num">{money(r.revenue, p.currency)}</td>
        </tr>
      ))}
    </tbody>
    <tfoot>
      <tr>
        <th scope="row">Total</th>
        <td class="num">{count(p.total.orders)}</td>
        <td class="num">{money(p.total.revenue, p.currency)}</td>
      </tr>
    </tfoot>
  </table>
);
