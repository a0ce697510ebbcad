import type { Audience, DeliveryFigures, DeliveryHealth } from '../src/notifications/delivery.ts';
import { count, dateTime } from './format.ts';

const AUDIENCE_LABEL: Record<Audience, string> = { seller: 'To stores', customer: 'To customers', all: 'All' };

const percent = (part: number, whole: number) => (whole ? `${(Math.floor((1000 * part) / whole) / 10).toFixed(1)}%` : '–');
/** Milliseconds for people: "35 ms", "2.4 s", "3 min". */
export function latency(ms: number | null) {
  if (ms === null) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

const Row = ({ f }: { f: DeliveryFigures }) => (
  <tr>
    <th scope="row">{AUDIENCE_LABEL[f.audience]}</th>
    <td class="num">{count(f.created)}</td>
    <td class="num">{count(f.delivered)}</td>
    <td class="num">{count(f.acknowledged)}</td>
    <td class="num">{count(f.emailed)}</td>
    <td class="num">{percent(f.within1s, f.created)}</td>
    <td class="num">{percent(f.within10s, f.created)}</td>
    <td class="num">{latency(f.p50)}</td>
    <td class="num">{latency(f.p95)}</td>
    <td class="num">{latency(f.p99)}</td>
  </tr>
);

/** Whether notifications reach people: the last 24 hours from the database, whichever process served them. */
export function DeliveryPage({ health }: { health: DeliveryHealth }) {
  const stores = health.figures.find((f) => f.audience === 'seller')!;
  return (
    <section class="stats delivery" aria-labelledby="delivery-title">
      <h1 id="delivery-title">Notification delivery</h1>
      <p id="delivery-summary">
        Since {dateTime(health.since)} UTC: {percent(stores.within1s, stores.created)} of the {count(stores.created)} notifications to stores reached an
        open dashboard within 1 second, {percent(stores.within10s, stores.created)} within 10 seconds; p99 {latency(stores.p99)}.
      </p>
      <p class="muted">
        Latency runs from the notification's commit to its first write to an event stream. A notification for someone with no page open waits until they
        open one, and that wait counts. Shares are of all notifications created.
      </p>
      {/* Focusable, so that a keyboard can scroll the table where it is wider than the screen. */}
      <div class="table-wrap" tabindex={0} role="region" aria-labelledby="delivery-figures-caption">
        <table id="delivery-figures">
          <caption id="delivery-figures-caption">Last 24 hours</caption>
          <thead>
            <tr>
              <th scope="col">Recipients</th>
              <th scope="col" class="num">Created</th>
              <th scope="col" class="num">Delivered to a stream</th>
              <th scope="col" class="num">Acknowledged</th>
              <th scope="col" class="num">Emailed</th>
              <th scope="col" class="num">Within 1 s</th>
              <th scope="col" class="num">Within 10 s</th>
              <th scope="col" class="num">p50</th>
              <th scope="col" class="num">p95</th>
              <th scope="col" class="num">p99</th>
            </tr>
          </thead>
          <tbody>
            {health.figures.map((f) => (
              <Row f={f} />
            ))}
          </tbody>
        </table>
      </div>
      <div class="table-wrap" tabindex={0} role="region" aria-labelledby="delivery-slowest-caption">
        <table id="delivery-slowest">
          <caption id="delivery-slowest-caption">Slowest stores: fewest notifications delivered within 10 s, then the highest p95</caption>
          <thead>
            <tr>
              <th scope="col">Store</th>
              <th scope="col" class="num">Created</th>
              <th scope="col" class="num">Delivered</th>
              <th scope="col" class="num">Within 10 s</th>
              <th scope="col" class="num">p50</th>
              <th scope="col" class="num">p95</th>
            </tr>
          </thead>
          <tbody>
            {health.slowestStores.map((s) => (
              <tr>
                <th scope="row">
                  {s.storeName} <span class="muted">#{s.storeId}</span>
                </th>
                <td class="num">{count(s.created)}</td>
                <td class="num">{count(s.delivered)}</td>
                <td class="num">{percent(s.within10s, s.created)}</td>
                <td class="num">{latency(s.p50)}</td>
                <td class="num">{latency(s.p95)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!health.slowestStores.length && <p class="empty">No notifications to stores in the last 24 hours.</p>}
    </section>
  );
}
