import type { Child } from 'hono/jsx';
import type { AlertSettings } from '../src/notifications/alerts.ts';
import { AlertState, StatusStrip, alertAttributes } from './alerts.tsx';

/**
 * Live updates: the element public/live.js finds to take part in the browser's one event stream
 * (`/events`, shared by all its tabs). `after` is the newest notification id the page was rendered
 * with: the page skips what it already shows, and a stream this tab opens resumes from there.
 */
export const liveStream = (after: number) => ({
  'data-live-stream': '/events',
  'data-live-after': String(after),
});

/** Where live messages announce themselves, read out by screen readers; public/app.js keeps the last few. */
export const LiveNotices = ({ id }: { id: string }) => <ul id={id} class="live-notices" aria-live="polite" aria-label="Live updates"></ul>;

/** One announcement; its id lets public/app.js find the notice a message carried (sound, desktop notification). */
export const Notice = ({ id, type, children }: { id: number; type: string; children: Child }) => (
  <li id={`notice-${id}`} data-type={type}>
    {children}
  </li>
);

/**
 * The seller's live bar: the stream (with the alert settings), the status strip (connection, sound,
 * desktop notifications; views/alerts.tsx), the "while you were away" summary's place, and "Mark
 * all read", a plain form up to the newest notification the page showed (app.js moves it along as
 * messages arrive).
 */
export const SellerLiveBar = ({ after, alerts }: { after: number; alerts: AlertSettings }) => (
  <div id="seller-live" class="live-bar" {...liveStream(after)} {...alertAttributes(alerts)}>
    <AlertState unacked={alerts.unacked} />
    <div id="away-summary" aria-live="polite"></div>
    <div class="live-controls">
      <StatusStrip />
      <form method="post" action="/notifications/read" class="inline">
        <input type="hidden" name="upTo" value={after ? String(after) : ''} />
        <input type="hidden" name="next" value="/seller" />
        <button type="submit" class="secondary">
          Mark all read
        </button>
      </form>
    </div>
    <LiveNotices id="live-notices" />
  </div>
);
