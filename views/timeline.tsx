import type { Status } from '../src/db/schema.ts';
import type { TimelineEntry } from '../src/orders/queries.ts';
import { dateTime } from './format.ts';

export const STATUS_LABEL: Record<Status, string> = {
  pending: 'Pending',
  confirmed: 'Confirmed',
  shipped: 'Shipped',
  delivered: 'Delivered',
  cancelled: 'Cancelled',
};

/** Every status, in the order of the flow (the labels' keys: a Record names each status once). */
export const STATUSES = Object.keys(STATUS_LABEL) as Status[];

export const StatusBadge = ({ status }: { status: Status }) => <span class={`status status-${status}`}>{STATUS_LABEL[status]}</span>;

function describe(e: TimelineEntry) {
  const part = e.storeName ? ` (${e.storeName})` : '';
  if (e.type === 'placed') return 'Order placed';
  if (e.type === 'seen') return `Seen by the store${part}`;
  const change = `${e.from ? STATUS_LABEL[e.from] : '?'} → ${e.status ? STATUS_LABEL[e.status] : '?'}${part}`;
  return e.type === 'override' ? `Status overridden: ${change}` : change;
}

/**
 * An order's history, oldest first: what happened, to which part, by whom and when. Its id carries
 * the order's, so a live message (TimelineUpdate) replaces exactly this order's timeline.
 */
export function Timeline({ orderId, entries }: { orderId: number; entries: TimelineEntry[] }) {
  return (
    <section id={`timeline-${orderId}`} class="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <ol>
        {entries.map((e) => (
          <li class={`event event-${e.type}`}>
            <time datetime={e.at}>{dateTime(e.at)}</time> <strong>{describe(e)}</strong>
            <span class="muted"> by {e.actor ? `${e.actor.name} (${e.actor.role})` : 'the system'}</span>
            {e.note && <p class="note">Reason: {e.note}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}

/**
 * The timeline as it is now, in place of the one on the page: for live messages and htmx responses.
 * The whole list is replaced, so a message replayed after a reconnect never adds an entry twice.
 */
export const TimelineUpdate = ({ orderId, entries }: { orderId: number; entries: TimelineEntry[] }) => (
  <hx-partial hx-target={`#timeline-${orderId}`} hx-swap="outerHTML">
    <Timeline orderId={orderId} entries={entries} />
  </hx-partial>
);
