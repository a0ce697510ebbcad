import { z } from 'zod';
import { SELLER_ORDER_STATUSES } from '../db/schema.ts';
import { COLUMN_MAX, idSchema } from '../http/numbers.ts';
import { visibleText } from '../http/text.ts';
import { statusSchema } from '../orders/schemas.ts';

// An empty field in a GET form means "no filter".
const blank = (v: unknown) => (v === '' ? undefined : v);
const day = (label: string) =>
  z.preprocess(blank, z.iso.date({ error: `${label} must be a date like 2026-01-31.` }).optional());

export const SORTS = ['newest', 'oldest', 'total'] as const;
export type Sort = (typeof SORTS)[number];

const keyset = z.preprocess(blank, z.string().regex(/^\d{1,15}(\.\d{1,15})?$/, 'That page link is broken.').optional());

/** The filters of the admin order list, shared by the page and the CSV export. */
export const orderFiltersSchema = z
  .object({
    status: z.preprocess(blank, z.enum(SELLER_ORDER_STATUSES, { error: 'Choose a status from the list.' }).optional()),
    // A store by number, label ("Name (#12)") or the start of its name; the route resolves it to one id (store-search.ts).
    store: z.preprocess(blank, z.string().trim().max(100, 'Store has at most 100 characters.').optional()),
    from: day('From'),
    to: day('To'),
    q: z.preprocess(blank, z.string().trim().max(200, 'Search has at most 200 characters.').optional()),
    sort: z.preprocess(blank, z.enum(SORTS, { error: 'Sort by newest, oldest or total.' }).default('newest')),
    // Keyset: `cursor` reads the rows after this key in the sort's order, `before` those ahead of
    // it (the newer page); the key is the id, or "total.id" when sorting by total.
    cursor: keyset,
    before: keyset,
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { path: ['to'], message: 'To must be on or after From.' })
  .refine((f) => !f.cursor || cursorFits(f.cursor, f.sort), { path: ['cursor'], message: 'That page link is broken.' })
  .refine((f) => !f.before || cursorFits(f.before, f.sort), { path: ['before'], message: 'That page link is broken.' })
  .refine((f) => !(f.cursor && f.before), { path: ['before'], message: 'Give cursor or before, not both.' });

/** A keyset cursor holds what its columns can: "id" (bigint), or "total.id" (int4 total) when sorting by total. */
function cursorFits(cursor: string, sort: Sort) {
  const [first, second] = cursor.split('.').map(Number) as [number, number | undefined];
  if (sort !== 'total') return second === undefined && first >= 1 && first <= COLUMN_MAX.int8;
  return second !== undefined && first <= COLUMN_MAX.int4 && second >= 1 && second <= COLUMN_MAX.int8;
}
export type OrderFilters = z.infer<typeof orderFiltersSchema>;
/** The filters with the store resolved to its id, as the list's query reads them. */
export type ListFilters = Omit<OrderFilters, 'store'> & { store?: number };

/** An admin override of one store's part: the reason is required and goes into the timeline. */
export const overrideSchema = z.object({
  status: statusSchema.shape.status,
  reason: visibleText('The reason', 3, 500, 'Give a reason for the override (at least 3 characters).'),
});

export const outboxPageSchema = z.object({ cursor: z.preprocess(blank, idSchema('int8', 'That page link is broken.').optional()) });

const STATS_MAX_DAYS = 366;
const STATS_DEFAULT_DAYS = 30;
const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / DAY_MS) + 1;

/**
 * The stats page's choice, a plain GET form: a store (its number or part of its name, so the page
 * never lists thousands of stores) and a range of UTC days, by default the last 30, at most a year.
 */
export const statsFiltersSchema = z
  .object({
    store: z.preprocess(blank, z.string().trim().max(100, 'Store has at most 100 characters.').optional()),
    from: day('From'),
    to: day('To'),
  })
  .transform((f) => {
    const to = f.to ?? isoDay(Date.now());
    return { store: f.store, to, from: f.from ?? isoDay(Date.parse(to) - (STATS_DEFAULT_DAYS - 1) * DAY_MS) };
  })
  .refine((f) => f.from <= f.to, { path: ['to'], message: 'To must be on or after From.' })
  .refine((f) => f.from > f.to || daysBetween(f.from, f.to) <= STATS_MAX_DAYS, { path: ['from'], message: `Choose at most ${STATS_MAX_DAYS} days.` });
export type StatsFilters = z.infer<typeof statsFiltersSchema>;

export const STORE_SHOWS = ['all', 'online', 'waiting'] as const;

/** /admin/stores: a search (store name or number, seller name or email), who to show, and a page. */
export const storesQuerySchema = z
  .object({
    q: z.preprocess(blank, z.string().trim().max(100, 'Search has at most 100 characters.').optional()),
    show: z.preprocess(blank, z.enum(STORE_SHOWS, { error: 'Show all stores, those online, or those with orders waiting.' }).default('all')),
    cursor: z.preprocess(blank, idSchema('int4', 'That page link is broken.').optional()),
    before: z.preprocess(blank, idSchema('int4', 'That page link is broken.').optional()),
  })
  .refine((f) => !(f.cursor && f.before), { path: ['before'], message: 'Give cursor or before, not both.' });
export type StoresQuery = z.infer<typeof storesQuerySchema>;
