import { z } from 'zod';

/** The largest value of each integer column type we store ids and counts in. */
export const COLUMN_MAX = {
  int4: 2_147_483_647,
  // bigint goes to 2^63-1; JavaScript numbers are exact only up to 2^53-1, far beyond any id we hand out.
  int8: Number.MAX_SAFE_INTEGER,
} as const;

/**
 * A row id as its column can hold it: a whole number from 1 to the column type's maximum. Every
 * numeric parameter (path, query, form, JSON) goes through this, so an id past 32 bits, a fraction
 * or a huge string is a 4xx with `message` and never reaches the database as an out-of-range value.
 * `fromText` reads it from text (paths, queries and forms); JSON numbers are taken as they are.
 */
export function idSchema(column: keyof typeof COLUMN_MAX, message: string, { fromText = true } = {}) {
  const number = z.number({ error: message }).int(message).min(1, message).max(COLUMN_MAX[column], message);
  if (!fromText) return number;
  // Decimal digits only: Number() would also read '0x1f', '1e3' or ' 12 '.
  return z.preprocess((v) => (typeof v === 'string' && /^\d{1,20}$/.test(v) ? Number(v) : v), number);
}
