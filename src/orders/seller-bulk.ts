import type { Pool } from '../db/client.ts';
import type { Status } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { sellerOrderRow, type Viewer } from './queries.ts';
import { changeStatus } from './service.ts';

export interface BulkOutcome {
  orderId: number;
  orderNumber: string;
  /** Why this order was left unchanged; null when it changed. */
  error: string | null;
}

/** One request changes at most this many orders (each is a transaction of its own). */
export const MAX_BULK_ORDERS = 100;

/**
 * Moves several of the seller's orders to one status. Each order is its own transaction, so
 * one refusal (say, an order the customer cancelled meanwhile) does not hold back the others.
 */
export async function changeMany(sql: Pool, viewer: Viewer, orderIds: number[], to: Status): Promise<BulkOutcome[]> {
  const outcomes: BulkOutcome[] = [];
  for (const orderId of new Set(orderIds)) {
    const row = await sellerOrderRow(sql, viewer, orderId).catch(() => null);
    if (!row) {
      outcomes.push({ orderId, orderNumber: `#${orderId}`, error: 'No such order.' });
      continue;
    }
    try {
      await changeStatus(sql, viewer, orderId, to);
      outcomes.push({ orderId, orderNumber: row.orderNumber, error: null });
    } catch (err) {
      if (!(err instanceof AppError)) throw err;
      outcomes.push({ orderId, orderNumber: row.orderNumber, error: err.message });
    }
  }
  return outcomes;
}
