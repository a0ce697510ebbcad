// Orderbell's live behaviour. live.js swaps what the browser's one event stream sends into every
// tab; this file reacts to each message: a beep (from one tab of the browser) and a desktop
// notification (from the tab holding the stream) for each new order, the tab title following the
// unread badge, "Mark all read" moved up to the newest message. While a new order is
// unacknowledged it chimes again and flashes the title every ALERT_REPEAT_SECONDS; the seller's
// status strip says whether any of that can reach them (connection, sound, desktop), and a
// dashboard back from an absence sums up what arrived. It is a file, not inline script or hx-on,
// because the CSP allows scripts from this origin only (and no eval).
(() => {
  'use strict';

  const SOUND_KEY = 'orderbell.sound'; // 'on' or 'off': the seller's mute switch, kept across visits
  const DESKTOP_KEY = 'orderbell.desktop'; // 'on' once the seller opted in to desktop notifications
  const KEEP_NOTICES = 5; // live announcements kept on the page

  const remembered = (key) => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null; // storage can be disabled; the switches then last until the page is left
    }
  };
  const remember = (key, value) => {
    try {
      localStorage.setItem(key, value);
    } catch {
      // see above
    }
  };
  const byId = (id) => document.getElementById(id);

  // ---- Sound: browsers start audio only after a user gesture, so the AudioContext is made and
  // resumed in a click handler ("Enable sound"), or on the first click or key press of a visit
  // when the seller had left sound on last time.
  let audio = null;
  let nextBeepAt = 0;
  const soundWanted = () => remembered(SOUND_KEY) === 'on';
  const soundOn = () => soundWanted() && audio !== null && audio.state === 'running';

  // One chime per order per browser: every tab gets every message, so the first tab whose audio
  // runs takes a lock and chimes for all of them; when it closes, the next such tab does.
  let chimesClaimed = false;
  let chimesHere = false;
  function claimChimes() {
    chimesClaimed = true;
    if (!('locks' in navigator)) return void (chimesHere = true); // then each tab has its own stream, and chimes
    navigator.locks.request('orderbell-chimes', () => new Promise(() => (chimesHere = true)));
  }

  function makeAudio() {
    audio ??= new AudioContext();
    audio.onstatechange = () => {
      if (audio.state === 'running' && !chimesClaimed) claimChimes();
      showSound();
    };
    if (audio.state === 'running' && !chimesClaimed) claimChimes();
  }

  async function startAudio() {
    makeAudio();
    await audio.resume();
    if (audio.state === 'running' && !chimesClaimed) claimChimes();
  }

  /** A short two-tone chime, synthesised (no audio file). A burst of orders chimes once each, in turn. */
  function beep({ test = false } = {}) {
    if (test ? audio?.state !== 'running' : !soundOn()) return;
    const start = Math.max(audio.currentTime, nextBeepAt);
    const tone = audio.createOscillator();
    const volume = audio.createGain();
    tone.type = 'sine';
    tone.frequency.setValueAtTime(880, start);
    tone.frequency.setValueAtTime(1320, start + 0.09);
    volume.gain.setValueAtTime(0.0001, start);
    volume.gain.exponentialRampToValueAtTime(0.3, start + 0.01);
    volume.gain.exponentialRampToValueAtTime(0.0001, start + 0.22);
    tone.connect(volume).connect(audio.destination);
    tone.start(start);
    tone.stop(start + 0.24);
    nextBeepAt = start + 0.32;
  }

  // After a reload the browser keeps a page's audio suspended until a click or key press, so sound
  // the seller left on is not sound that plays: the strip says "blocked" until then.
  function showSound() {
    const button = byId('sound-toggle');
    if (!button) return;
    button.textContent = soundOn() ? 'Mute sound' : 'Enable sound';
    const state = soundOn() ? 'on' : soundWanted() ? 'blocked' : 'off';
    show(byId('sound-state'), state, { on: 'On', off: 'Off', blocked: 'Blocked by the browser: click anywhere to enable' }[state]);
  }

  /** "Test sound": a chime now, whatever the mute switch says (the click also lets audio start). */
  async function testSound() {
    await startAudio();
    beep({ test: true });
    showSound();
  }

  /** Sets a strip value's text and state (CSS colours it), only when it changed, so the live region speaks only of changes. */
  function show(element, state, text) {
    if (!element || (element.dataset.state === state && element.textContent === text)) return;
    element.dataset.state = state;
    element.textContent = text;
  }

  async function toggleSound() {
    if (soundOn()) {
      remember(SOUND_KEY, 'off');
    } else {
      remember(SOUND_KEY, 'on');
      await startAudio();
      beep(); // so the seller hears what a new order sounds like
    }
    showSound();
  }

  function resumeOnFirstGesture(event) {
    if (event.target instanceof Element && event.target.closest('#sound-toggle')) return; // its click decides
    document.removeEventListener('pointerdown', resumeOnFirstGesture);
    document.removeEventListener('keydown', resumeOnFirstGesture);
    startAudio().then(showSound, () => {});
  }

  // ---- Desktop notifications: asked for only when the seller clicks the button.
  const canNotify = () => 'Notification' in window;
  const desktopOn = () => canNotify() && Notification.permission === 'granted' && remembered(DESKTOP_KEY) === 'on';

  function showDesktop() {
    const button = byId('desktop-toggle');
    if (!button) return;
    if (!canNotify()) {
      button.hidden = true;
      return show(byId('desktop-state'), 'unsupported', 'Not available in this browser');
    }
    button.setAttribute('aria-pressed', String(desktopOn()));
    const state = desktopOn() ? 'on' : Notification.permission === 'denied' ? 'blocked' : 'off';
    show(byId('desktop-state'), state, { on: 'On', off: 'Off', blocked: 'Blocked in the browser settings' }[state]);
  }

  async function toggleDesktop() {
    if (desktopOn()) remember(DESKTOP_KEY, 'off');
    else if ((await Notification.requestPermission()) === 'granted') remember(DESKTOP_KEY, 'on');
    showDesktop();
  }

  function notifyDesktop(notice) {
    if (!desktopOn()) return;
    // The tag makes several open tabs show one notification for one order.
    const shown = new Notification('Orderbell', { body: notice.textContent.trim(), tag: notice.id });
    shown.onclick = () => {
      window.focus();
      shown.close();
    };
  }

  // ---- The tab title leads with the unread count, like a reload renders it; while it flashes
  // (an unacknowledged order), every other half second it says so instead of the page's name.
  const pageTitle = document.title.replace(/^\(\d+\) /, '');
  let flashFrames = 0;
  let flashTimer = null;
  function syncTitle() {
    const badge = byId('unread-badge');
    if (!badge) return;
    const unread = Number(badge.dataset.unread) || 0;
    const waiting = unacked();
    const title = flashFrames % 2 && waiting ? `${waiting === 1 ? 'New order' : `${waiting} new orders`} waiting · Orderbell` : pageTitle;
    document.title = unread ? `(${unread}) ${title}` : title;
  }

  function flashTitle() {
    flashFrames = 6;
    clearInterval(flashTimer);
    flashTimer = setInterval(() => {
      if (--flashFrames <= 0) clearInterval(flashTimer);
      syncTitle();
    }, 500);
    syncTitle();
  }

  // ---- Alerts repeat until acknowledged: while the page's #alert-state counts unacknowledged new
  // orders (live messages keep it right, an acknowledgement on any tab or device included), chime
  // again (from the tab that chimes for the browser) and flash the title every ALERT_REPEAT_SECONDS.
  const liveRoot = document.querySelector('[data-alert-repeat]');
  const repeatMs = (Number(liveRoot?.dataset.alertRepeat) || 30) * 1000;
  const unacked = () => Number(byId('alert-state')?.dataset.unacked) || 0;
  let repeatTimer = null;
  /** Starts the repeats when something waits (again from now after a new order), stops them once nothing does. */
  function syncRepeats(restart) {
    if (!liveRoot) return;
    if (unacked() && (restart || !repeatTimer)) {
      clearInterval(repeatTimer);
      repeatTimer = setInterval(remind, repeatMs);
    } else if (!unacked() && repeatTimer) {
      clearInterval(repeatTimer);
      repeatTimer = null;
      flashFrames = 0;
      syncTitle();
    }
  }
  function remind() {
    if (!unacked()) return syncRepeats();
    if (chimesHere) beep();
    flashTitle();
  }

  // ---- The status strip's connection: the browser's one stream (live.js), or no network at all.
  let stream = { stream: 'connecting', since: 0 };
  const clock = (ms) => new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  function showConnection() {
    const { stream: state, since } = stream;
    if (!navigator.onLine) return show(byId('connection-state'), 'offline', 'Offline: this device has no network');
    const text = {
      live: 'Live',
      connecting: 'Connecting…',
      waiting: 'Connecting…',
      reconnecting: `Reconnecting since ${clock(since || Date.now())}`,
      'signed-out': 'Offline: you are signed out',
    }[state];
    if (text) show(byId('connection-state'), state === 'waiting' ? 'connecting' : state, text);
  }

  // ---- While you were away: once the dashboard is back (visible and live) after being hidden or
  // disconnected for AWAY_SUMMARY_SECONDS or more, the server sums up the new orders after the
  // newest notification the page had when it went away.
  const awayMs = (Number(liveRoot?.dataset.awayAfter) || 300) * 1000;
  let newestId = Number(document.querySelector('[data-live-after]')?.dataset.liveAfter) || 0;
  let away = null; // { from: ms, after: notification id } while hidden or disconnected
  function noteAway() {
    const gone = document.visibilityState === 'hidden' || stream.stream !== 'live' || !navigator.onLine;
    if (gone && !away) away = { from: Date.now(), after: newestId };
    if (gone || !away) return;
    const { from, after } = away;
    away = null;
    if (Date.now() - from < awayMs || !byId('away-summary') || !window.htmx) return;
    htmx.ajax('GET', `/seller/away?after=${after}`, { target: '#away-summary', swap: 'innerHTML' }).catch(() => {});
  }

  document.addEventListener('orderbell:live:message', (event) => {
    const { id, holder } = event.detail;
    newestId = Math.max(newestId, Number(id));
    syncTitle();
    // "Mark all read" covers what arrived live too, not only what the page was rendered with.
    for (const upTo of document.querySelectorAll('form[action="/notifications/read"] input[name="upTo"]')) {
      if (Number(id) > Number(upTo.value || 0)) upTo.value = id;
    }
    const notice = byId(`notice-${id}`);
    const isNew = notice?.dataset.type === 'order_notification';
    if (isNew) {
      if (chimesHere) beep();
      if (holder) notifyDesktop(notice);
    }
    syncRepeats(isNew);
    for (const list of document.querySelectorAll('.live-notices')) {
      while (list.children.length > KEEP_NOTICES) list.lastElementChild.remove();
    }
  });

  document.addEventListener('orderbell:live:phase', (event) => {
    stream = event.detail;
    showConnection();
    noteAway();
  });
  document.addEventListener('visibilitychange', noteAway);
  for (const change of ['online', 'offline']) {
    window.addEventListener(change, () => {
      showConnection();
      noteAway();
    });
  }
  document.addEventListener('click', (event) => {
    const dismiss = event.target instanceof Element && event.target.closest('[data-dismiss]');
    if (dismiss) byId(dismiss.dataset.dismiss)?.replaceChildren();
  });

  // ---- The strip needs this file, so it stays hidden without it.
  const strip = byId('status-strip');
  if (strip) strip.hidden = false;
  byId('sound-toggle')?.addEventListener('click', toggleSound);
  byId('sound-test')?.addEventListener('click', testSound);
  byId('desktop-toggle')?.addEventListener('click', toggleDesktop);
  if (byId('sound-toggle') && soundWanted()) {
    // Made now, it shows what the browser allows: running where it lets this site play at once,
    // suspended (the strip says "blocked") until the first click or key press otherwise.
    makeAudio();
    document.addEventListener('pointerdown', resumeOnFirstGesture);
    document.addEventListener('keydown', resumeOnFirstGesture);
  }
  // The switches are the browser's: a change in one tab shows in the others.
  window.addEventListener('storage', (event) => {
    if (event.key === SOUND_KEY) showSound();
    if (event.key === DESKTOP_KEY) showDesktop();
  });
  showSound();
  showDesktop();
  showConnection();
  syncRepeats();
})();
