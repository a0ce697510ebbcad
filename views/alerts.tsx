import type { AlertSettings, AwaySummaryData } from '../src/notifications/alerts.ts';
import { UnreadBadge } from './layout.tsx';
import { count, money } from './format.ts';

/**
 * What the seller's browser alerts about: how many new orders nobody has acknowledged (opened,
 * confirmed, marked read). public/app.js chimes again and flashes the tab title every
 * `repeatSeconds` while it is above zero; live messages replace this element (new orders raise
 * it, an acknowledgement on any tab or device lowers it).
 */
export const AlertState = ({ unacked }: { unacked: number }) => <span id="alert-state" data-unacked={String(unacked)} hidden></span>;

export const alertAttributes = (alerts: AlertSettings) => ({
  'data-alert-repeat': String(alerts.repeatSeconds),
  'data-away-after': String(alerts.awaySeconds),
});

export const AlertStateUpdate = ({ unacked }: { unacked: number }) => (
  <hx-partial hx-target="#alert-state" hx-swap="outerHTML">
    <AlertState unacked={unacked} />
  </hx-partial>
);

export const BadgeUpdate = ({ unread }: { unread: number }) => (
  <hx-partial hx-target="#unread-badge" hx-swap="outerHTML">
    <UnreadBadge count={unread} />
  </hx-partial>
);

/** The live message of an acknowledgement made on another tab or device: badge, title and alerts follow. */
export const ReadUpdate = ({ unread, unacked }: { unread: number; unacked: number }) => (
  <>
    <BadgeUpdate unread={unread} />
    <AlertStateUpdate unacked={unacked} />
  </>
);

/**
 * The dashboard's status strip: whether new orders can reach this seller right now. Everything in
 * it is set by public/app.js from what the browser reports (the stream's phase from live.js, the
 * AudioContext's state, the notification permission), so it needs JavaScript and stays hidden
 * without it. One live region: a change (say "Reconnecting since 14:05") is read out.
 */
export const StatusStrip = () => (
  <>
    <div id="status-strip" class="status-strip" role="status" aria-label="Alert status" hidden>
      <p class="strip-item">
        <span class="strip-label">Connection:</span>{' '}
        <strong id="connection-state" data-state="connecting">
          Connecting…
        </strong>
      </p>
      <p class="strip-item">
        <span class="strip-label">Sound:</span>{' '}
        <strong id="sound-state" data-state="off">
          Off
        </strong>{' '}
        <span class="strip-actions">
          <button type="button" id="sound-toggle" class="secondary small" aria-describedby="sound-state">
            Enable sound
          </button>{' '}
          <button type="button" id="sound-test" class="secondary small">
            Test sound
          </button>
        </span>
      </p>
      <p class="strip-item">
        <span class="strip-label">Desktop notifications:</span>{' '}
        <strong id="desktop-state" data-state="off">
          Off
        </strong>{' '}
        <span class="strip-actions">
          <button type="button" id="desktop-toggle" class="secondary small" aria-pressed="false" aria-describedby="desktop-state">
            Desktop notifications
          </button>
        </span>
      </p>
    </div>
    <noscript>
      <p class="status-strip">Live updates, sound and alerts need JavaScript: reload the page to see new orders.</p>
    </noscript>
  </>
);

/** "While you were away": the new orders since the page went away, newest first (public/app.js asks for it). */
export function AwaySummary({ summary, currency }: { summary: AwaySummaryData; currency: string }) {
  if (!summary.total) return null;
  const more = summary.total - summary.orders.length;
  return (
    <section class="away-summary" aria-labelledby="away-title">
      <h2 id="away-title">
        While you were away: {count(summary.total)} new {summary.total === 1 ? 'order' : 'orders'}, {money(summary.amount, currency)}
      </h2>
      <ul>
        {summary.orders.map((o) => (
          <li>
            <a href={`/seller/orders/${o.orderId}`}>{o.orderNumber}</a> from {o.customerName}, {money(o.subtotal, currency)}
          </li>
        ))}
      </ul>
      {more > 0 && <p>and {count(more)} more in the list below.</p>}
      <button type="button" class="secondary small" data-dismiss="away-summary">
        Dismiss
      </button>
    </section>
  );
}
