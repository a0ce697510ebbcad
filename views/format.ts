/** Money is integer minor units everywhere; it becomes text only here. */
export function money(minor: number, currency = 'USD') {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minor / 100);
}

/** A date and time for people, e.g. "Nov 25, 2026, 6:40 PM" (UTC unless a zone is given). */
export function dateTime(value: string | Date, timeZone = 'UTC') {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(value));
}

export function dateOnly(value: string | Date, timeZone = 'UTC') {
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone }).format(new Date(value));
}

export const count = (n: number) => new Intl.NumberFormat('en-US').format(n);
