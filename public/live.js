// Orderbell's live updates: one event stream per browser, however many tabs show live pages.
// Over HTTP/1.1 a browser opens at most six connections to a host; a stream per tab would starve
// the seventh tab and every other page of the shop. So the tabs elect one (Web Locks) that holds
// the stream and passes each message to the others (BroadcastChannel); every tab swaps the
// `<hx-partial>` fragments itself with htmx. When the holder closes, sleeps or is discarded, its
// lock is released and the next tab takes over from the newest id the tabs have seen. Without
// those two APIs each tab holds a stream of its own. After each message this file dispatches
// `orderbell:live:message` on document (app.js: sound, title, desktop notification).
// Why a hand-written EventSource rather than htmx's SSE extension: docs/decisions/003-one-stream-per-browser.md.
(() => {
  'use strict';

  const root = document.querySelector('[data-live-stream]');
  if (!root || !window.htmx) return;

  const LOCK = 'orderbell-live-stream';
  const KEEP = 200; // messages the holder keeps to catch up a tab that opened a moment ago
  const shared = 'locks' in navigator && 'BroadcastChannel' in window;

  /**
   * The stream of this browser as one tab sees it. Phases: `waiting` (another tab holds the
   * stream; messages arrive from it), `connecting`, `live`, `reconnecting` (this tab holds it),
   * `paused` (the tab is frozen or in the back-forward cache and takes no part), `signed-out` (the
   * session ended: the stream is refused, nothing is retried). Each change is
   * dispatched as `orderbell:live:phase`, with `stream`: the state of the browser's one stream as
   * this tab knows it (its own phase while it holds the stream, else what the holding tab last
   * said), and `since`: when that stream was lost, while it is reconnecting (app.js's status strip).
   */
  class LiveStream {
    constructor(element) {
      this.element = element;
      this.url = element.dataset.liveStream;
      /** The newest notification id this page shows: rendered with it, then every message applied. */
      this.applied = Number(element.dataset.liveAfter) || 0;
      this.phase = 'waiting';
      this.holding = false;
      this.source = null;
      this.cursor = 0; // the newest id received on the stream this tab holds
      this.recent = []; // [{id, data}], the last KEEP messages received, for tabs that ask
      this.recentFrom = 0; // `recent` holds every message after this id
      this.retryDelay = 0;
      this.swaps = Promise.resolve();
      this.stream = 'connecting';
      this.since = 0;
      this.channel = shared ? new BroadcastChannel(LOCK) : null;
      this.channel?.addEventListener('message', (event) => this.onChannel(event.data));
    }

    start() {
      if (!shared) return void this.hold();
      this.phase = 'waiting';
      this.announce();
      this.say({ type: 'hello', after: this.applied });
      this.leaving = new AbortController();
      const granted = () =>
        new Promise((release) => {
          this.release = release;
          this.hold();
        });
      navigator.locks.request(LOCK, { signal: this.leaving.signal }, granted).catch(() => {}); // aborted by pause()
    }

    /** Frozen, or put in the back-forward cache: hand the stream to another tab. */
    pause() {
      this.leaving?.abort();
      this.stopHolding();
      this.release?.();
      this.release = null;
      this.phase = 'paused';
      this.announce();
    }

    // ---- The tab holding the stream

    hold() {
      this.holding = true;
      this.cursor = this.applied;
      this.recent = [];
      this.recentFrom = this.cursor;
      this.say({ type: 'holder' }); // the others answer with where they are
      this.connect();
    }

    connect() {
      this.source?.close();
      this.phase = this.phase === 'live' || this.phase === 'reconnecting' ? 'reconnecting' : 'connecting';
      this.announce();
      const source = new EventSource(`${this.url}?after=${this.cursor}`);
      this.source = source;
      source.onopen = () => {
        this.retryDelay = 0;
        this.phase = 'live';
        this.announce();
      };
      source.onmessage = (event) => this.received(Number(event.lastEventId), event.data);
      // Told by the server's heartbeat that the session ended: say so now, not after a refused reconnect.
      source.addEventListener('session_ended', () => this.source === source && this.signedOut());
      source.onerror = () => {
        if (this.source !== source) return;
        this.phase = 'reconnecting';
        this.announce();
        // CONNECTING: the browser comes back by itself, with Last-Event-ID, after the server's
        // retry hint. CLOSED (an error status, such as a proxy's 502, or a 401 once the session
        // has ended): EventSource cannot tell which, so ask; signed out, retrying cannot help.
        if (source.readyState !== EventSource.CLOSED) return;
        this.sessionEnded().then((ended) => (ended ? this.signedOut() : this.reconnectLater()));
      };
    }

    /** Whether the stream is refused because this browser's session ended (401), not a passing failure. */
    async sessionEnded() {
      const abort = new AbortController();
      try {
        const response = await fetch(`${this.url}?after=${this.cursor}`, { signal: abort.signal, headers: { accept: 'text/event-stream' } });
        return response.status === 401;
      } catch {
        return false; // the server is away: reconnect later
      } finally {
        abort.abort(); // a stream that did open is not kept: EventSource reconnects properly
      }
    }

    signedOut() {
      this.stopHolding();
      this.phase = 'signed-out';
      this.announce();
      this.say({ type: 'signed-out' });
      showSignedOut();
    }

    reconnectLater() {
      this.retryDelay = Math.min(30_000, (this.retryDelay || 500) * 2);
      clearTimeout(this.retryTimer);
      this.retryTimer = setTimeout(() => this.holding && this.connect(), this.retryDelay * (0.5 + Math.random() / 2));
    }

    stopHolding() {
      this.holding = false;
      clearTimeout(this.retryTimer);
      this.source?.close();
      this.source = null;
    }

    received(id, data) {
      if (!id) return;
      this.cursor = Math.max(this.cursor, id);
      if (id > (this.recent.at(-1)?.id ?? this.recentFrom)) {
        this.recent.push({ id, data });
        if (this.recent.length > KEEP) this.recentFrom = this.recent.shift().id;
      }
      this.say({ type: 'message', id, data });
      this.apply(id, data);
    }

    /** A tab shows everything up to `after`: send it what came since, from memory or by replay. */
    catchUp(after) {
      if (after >= this.recentFrom) {
        for (const m of this.recent) if (m.id > after) this.say({ type: 'message', id: m.id, data: m.data });
        return;
      }
      // Older than what this tab kept: the stream replays from there; every tab skips what it has.
      this.cursor = after;
      this.recent = [];
      this.recentFrom = after;
      this.connect();
    }

    // ---- Every tab

    onChannel(note) {
      if (note.type === 'message') this.apply(note.id, note.data);
      else if (note.type === 'signed-out') {
        showSignedOut();
        this.stream = 'signed-out';
        this.announce();
      }
      else if (note.type === 'holder' && !this.holding && this.phase !== 'paused') this.say({ type: 'hello', after: this.applied });
      else if (note.type === 'hello' && this.holding) {
        this.catchUp(note.after);
        this.say({ type: 'stream', stream: this.stream, since: this.since });
      } else if (note.type === 'stream' && !this.holding) {
        this.stream = note.stream;
        this.since = note.since;
        this.announce();
      }
    }

    /** Swaps a message's fragments into this page once, in order of arrival; ids this page already shows are skipped. */
    apply(id, data) {
      if (id <= this.applied) return;
      this.applied = id;
      this.swaps = this.swaps
        .then(() => data && htmx.swap({ sourceElement: this.element, target: this.element, swap: 'none swapEmpty:false', text: data, request: {} }))
        .catch((error) => console.error('orderbell: a live message could not be shown', error))
        .then(() => document.dispatchEvent(new CustomEvent('orderbell:live:message', { detail: { id, holder: this.holding } })));
    }

    say(note) {
      this.channel?.postMessage(note);
    }

    announce() {
      if (this.holding || this.phase === 'signed-out') {
        if (this.phase === 'reconnecting' && this.stream !== 'reconnecting') this.since = Date.now();
        if (this.phase !== 'reconnecting') this.since = 0;
        this.stream = this.phase;
        if (this.holding) this.say({ type: 'stream', stream: this.stream, since: this.since });
      }
      const detail = { phase: this.phase, holder: this.holding, stream: this.stream, since: this.since };
      document.dispatchEvent(new CustomEvent('orderbell:live:phase', { detail }));
    }
  }

  /**
   * Says on the page that it no longer receives anything because the session ended (signed out in
   * another tab, or expired), with a link that signs in and comes back here, instead of retrying
   * in silence while the page looks normal.
   */
  function showSignedOut() {
    if (document.getElementById('signed-out')) return;
    const note = document.createElement('p');
    note.id = 'signed-out';
    note.className = 'flash flash-bad';
    const link = document.createElement('a');
    link.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    link.textContent = 'Sign in again';
    note.append('You are signed out: this page no longer receives live updates. ', link, '.');
    (document.getElementById('flash') ?? document.body).append(note);
  }

  const live = new LiveStream(root);
  // A frozen tab runs no code: it must not keep the stream the other tabs depend on.
  document.addEventListener('freeze', () => live.pause());
  document.addEventListener('resume', () => live.start());
  window.addEventListener('pagehide', (event) => event.persisted && live.pause());
  window.addEventListener('pageshow', (event) => event.persisted && live.start());
  live.start();
})();
