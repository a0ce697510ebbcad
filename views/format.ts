// Intl formatters are costly to build (a third of a page's CPU when made per call): one per
// currency and time zone, made once.
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function formatter<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

/** Money is integer minor units everywhere; it becomes text only here. */
export function money(minor: number, currency = 'USD') {
  return formatter(`money:${currency}`, () => new Intl.NumberFormat('en-US', { style: 'currency', currency })).format(minor / 100);
}

/** A date and time for people, e.g. "Nov 25, 2026, 6:40 PM" (UTC unless a zone is given). */
export function dateTime(value: string | Date, timeZone = 'UTC') {
  return formatter(`dateTime:${timeZone}`, () => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone })).format(new Date(value));
}

export function dateOnly(value: string | Date, timeZone = 'UTC') {
  return formatter(`date:${timeZone}`, () => new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone })).format(new Date(value));
}

const counter = new Intl.NumberFormat('en-US');
export const count = (n: number) => counter.format(n);

/** "3 h 5 min" from seconds. */
export function duration(seconds: number) {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  return [d && `${d} d`, h && `${h} h`, m && `${m} min`].filter(Boolean).join(' ') || '0 min';
}
