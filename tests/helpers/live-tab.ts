import type { Page } from 'playwright-core';

/**
 * An init script (`context.addInitScript(observeTab)`): runs in each tab before its scripts,
 * through the DevTools protocol and so outside the CSP. Counts the audio sources started and keeps
 * the tab's part in the browser's event stream (public/live.js's `orderbell:live:phase`).
 */
export function observeTab() {
  const tab = { audioStarted: 0, phase: '', holder: false };
  Object.assign(window, { tab });
  const start = AudioScheduledSourceNode.prototype.start;
  AudioScheduledSourceNode.prototype.start = function (this: AudioScheduledSourceNode, ...args: [number?]) {
    tab.audioStarted++;
    return start.apply(this, args);
  };
  document.addEventListener('orderbell:live:phase', (e) => Object.assign(tab, (e as CustomEvent).detail));
}

export type TabState = { audioStarted: number; phase: string; holder: boolean };
export const tabState = (page: Page) => page.evaluate(() => (window as unknown as { tab: TabState }).tab);

/** The tabs holding the browser's stream with it open (exactly one is wanted). */
export async function holders(pages: Page[]) {
  const states = await Promise.all(pages.map(tabState));
  return pages.filter((_, i) => states[i]!.holder && states[i]!.phase === 'live');
}

/** A mark on the window survives htmx swaps but not a page load: it tells the two apart. */
export const markDocument = (page: Page) => page.evaluate(() => Object.assign(window, { sameDocument: true }));
export const sameDocument = (page: Page) => page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument === true);
