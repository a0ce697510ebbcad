// Orderbell's live behaviour. live.js swaps what the browser's one event stream sends into every
// tab; this file reacts to each message: a beep (from one tab of the browser) and a desktop
// notification (from the tab holding the stream) for each new order, the tab title following the
// unread badge, "Mark all read" moved up to the newest message. It is a file, not inline script or
// hx-on, because the CSP allows scripts from this origin only (and no eval).
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

  async function startAudio() {
    audio ??= new AudioContext();
    await audio.resume();
    if (audio.state === 'running' && !chimesClaimed) claimChimes();
  }

  /** A short two-tone chime, synthesised (no audio file). A burst of orders chimes once each, in turn. */
  function beep() {
    if (!soundOn()) return;
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

  function showSound() {
    const button = byId('sound-toggle');
    if (!button) return;
    button.textContent = soundOn() ? 'Mute sound' : 'Enable sound';
    byId('sound-state').textContent = soundOn() ? 'Sound is on' : 'Sound is off';
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
    if (!button || !canNotify()) return;
    button.setAttribute('aria-pressed', String(desktopOn()));
    byId('desktop-state').textContent = desktopOn() ? 'On' : Notification.permission === 'denied' ? 'Blocked in the browser settings' : 'Off';
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

  // ---- The tab title leads with the unread count, like a reload renders it.
  function syncTitle() {
    const badge = byId('unread-badge');
    if (!badge) return;
    const unread = Number(badge.dataset.unread) || 0;
    const title = document.title.replace(/^\(\d+\) /, '');
    document.title = unread ? `(${unread}) ${title}` : title;
  }

  document.addEventListener('orderbell:live:message', (event) => {
    const { id, holder } = event.detail;
    syncTitle();
    // "Mark all read" covers what arrived live too, not only what the page was rendered with.
    for (const upTo of document.querySelectorAll('form[action="/notifications/read"] input[name="upTo"]')) {
      if (Number(id) > Number(upTo.value || 0)) upTo.value = id;
    }
    const notice = byId(`notice-${id}`);
    if (notice?.dataset.type === 'order_notification') {
      if (chimesHere) beep();
      if (holder) notifyDesktop(notice);
    }
    for (const list of document.querySelectorAll('.live-notices')) {
      while (list.children.length > KEEP_NOTICES) list.lastElementChild.remove();
    }
  });

  // ---- The switches need this file, so they stay hidden without it.
  for (const control of document.querySelectorAll('.live-switch')) {
    if (!control.querySelector('#desktop-toggle') || canNotify()) control.hidden = false;
  }
  byId('sound-toggle')?.addEventListener('click', toggleSound);
  byId('desktop-toggle')?.addEventListener('click', toggleDesktop);
  if (byId('sound-toggle') && soundWanted()) {
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
})();
