import type { Db } from '../db/client.ts';
import type { Status } from '../db/schema.ts';
import { latestIdOf, unreadCountOf } from '../notifications/store.ts';
import { figuresFrom, figuresOf, type FigureColumns, type SellerFigures } from './figures.ts';
import { sellerOrders, statusCounts, statusCountsOf, withSellerPosition, type Page, type SellerOrderRow, type Viewer } from './queries.ts';
import type { PageQuery } from './schemas.ts';

/** Everything the seller's dashboard shows. */
export interface SellerDashboardData {
  /** The newest notification id when the page was read: its stream replays from there. */
  after: number;
  counts: Record<Status, number>;
  figures: SellerFigures;
  /** Unread notifications, for the navigation's badge. */
  unread: number;
  page: Page<SellerOrderRow>;
}

/**
 * /seller in two round trips instead of seven (docs/decisions/017): the newest notification id,
 * the tab counts, the badge and the figures in one statement, then the page of rows. The rows
 * are read after that id, so a notice committed in between is replayed (the upsert drops the
 * double), never lost. The page's position comes from the tab counts (withSellerPosition).
 */
export async function sellerDashboard(sql: Db, viewer: Viewer, query: PageQuery): Promise<SellerDashboardData> {
  const [facts] = await sql<({ after: number; counts: Partial<Record<Status, number>>; unread: number } & FigureColumns)[]>`
    select ${latestIdOf(sql, viewer.id)} as after, ${statusCountsOf(sql, viewer)} as counts, ${unreadCountOf(sql, viewer.id)} as unread,
      ${figuresOf(sql, viewer)}`;
  const counts = statusCounts(facts!.counts);
  const page = await withSellerPosition(sql, viewer, query, await sellerOrders(sql, viewer, query), counts);
  return { after: facts!.after, counts, figures: figuresFrom(facts!), unread: facts!.unread, page };
}

/** The tab counts and the store's figures: what every update of the dashboard carries along. */
export interface SellerTallies {
  counts: Record<Status, number>;
  figures: SellerFigures;
}

/**
 * The tab counts and the figures in one statement, for the updates that change them (a live order,
 * a status change by the seller or by someone else, an acknowledgement): the panel at the top of
 * the dashboard would otherwise say "Not yet opened: 0" beside a new order until a reload.
 */
export async function sellerTallies(sql: Db, viewer: Viewer): Promise<SellerTallies> {
  const [row] = await sql<({ counts: Partial<Record<Status, number>> } & FigureColumns)[]>`
    select ${statusCountsOf(sql, viewer)} as counts, ${figuresOf(sql, viewer)}`;
  return { counts: statusCounts(row!.counts), figures: figuresFrom(row!) };
}
