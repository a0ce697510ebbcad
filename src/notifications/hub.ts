import type { Db } from '../db/client.ts';
import type { Logger } from '../ops/log.ts';
import type { Metrics } from './metrics.ts';
import { markDelivered, noticesByIds, noticesSince, type Notice } from './store.ts';

/** An open stream, as the hub sees it. */
export interface Subscriber {
  readonly userId: string;
  /** The id after which this stream still needs notices, or undefined while it reads its backlog's start. */
  cursor(): number | undefined;
  /** Called in id order; the stream skips ids it already sent. Must never block. */
  push(notice: Notice): void;
  /** Ends the stream, telling the client when to come back. */
  end(retryMs: number): void;
}

const RETRY_AFTER_ERROR_MS = 1000;
const DELIVERED_FLUSH_MS = 100;

/**
 * In-process fan-out keyed by recipient user. NOTIFY ids are read from the table only for users
 * with a stream open here, many ids per query. Reads run one at a time so that each user's
 * notices are pushed in id order, and `lastRead` per user drops an id seen twice (a NOTIFY for a
 * row the catch-up already read). The triggers make ids commit in order per recipient, so
 * "everything after the last id" is exact.
 */
export class Hub {
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly lastRead = new Map<string, number>();
  private pendingIds: number[] = [];
  private catchUpWanted = false;
  private draining = false;
  /** Notice id -> when a stream here first wrote it (ms), until the next batched update. */
  private delivered = new Map<number, number>();
  private deliveredTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly sql: Db,
    private readonly log: Logger,
    private readonly metrics: Metrics,
  ) {}

  get streamCount() {
    let n = 0;
    for (const set of this.subscribers.values()) n += set.size;
    return n;
  }

  /** Register before reading the backlog, so nothing committed in between is missed. */
  subscribe(sub: Subscriber): () => void {
    let set = this.subscribers.get(sub.userId);
    if (!set) this.subscribers.set(sub.userId, (set = new Set()));
    set.add(sub);
    return () => {
      set.delete(sub);
      if (set.size === 0 && this.subscribers.get(sub.userId) === set) {
        this.subscribers.delete(sub.userId);
        this.lastRead.delete(sub.userId);
      }
    };
  }

  /** From the listener: only ids travel. */
  onNotify(id: number, recipientId: string) {
    this.metrics.created.inc();
    if (!this.subscribers.has(recipientId) || id <= (this.lastRead.get(recipientId) ?? -1)) return;
    this.pendingIds.push(id);
    this.kick();
  }

  /** After the LISTEN connection (re)connects: re-read from the table what was notified while away. */
  catchUp() {
    this.catchUpWanted = true;
    this.kick();
  }

  /**
   * A stream wrote this notice: the email fallback must leave it alone, and /admin/delivery
   * measures from its commit to this first write. Only the first write per id is kept, and the
   * ids go to the database in one update per DELIVERED_FLUSH_MS, never a query per write.
   */
  markDelivered(id: number) {
    if (!this.delivered.has(id)) this.delivered.set(id, Date.now());
    this.deliveredTimer ??= setTimeout(() => void this.flushDelivered(), DELIVERED_FLUSH_MS);
  }

  /** Ends every stream (shutdown), each with its own jittered retry hint. */
  endAll(retryMs: () => number) {
    for (const set of [...this.subscribers.values()]) for (const sub of [...set]) sub.end(retryMs());
  }

  async close() {
    clearTimeout(this.deliveredTimer);
    await this.flushDelivered();
  }

  private kick() {
    if (this.draining) return;
    this.draining = true;
    // Wait for the rest of this I/O tick so that a burst of NOTIFYs becomes one query.
    setImmediate(() => void this.drain());
  }

  private async drain() {
    try {
      while (this.catchUpWanted || this.pendingIds.length) {
        if (this.catchUpWanted) {
          this.catchUpWanted = false;
          this.pendingIds = []; // the catch-up reads everything after each cursor, these included
          this.dispatch(await this.readMissed());
        } else {
          const ids = this.pendingIds;
          this.pendingIds = [];
          this.dispatch(await noticesByIds(this.sql, ids));
        }
      }
    } catch (err) {
      // Ids taken from the queue are not lost: a catch-up from the last read ids covers them.
      this.log.error({ err }, 'reading notifications failed; catching up shortly');
      setTimeout(() => this.catchUp(), RETRY_AFTER_ERROR_MS).unref();
    } finally {
      this.draining = false;
      if (this.pendingIds.length) this.kick();
    }
  }

  private readMissed() {
    const cursors = new Map<string, number>();
    for (const [userId, set] of this.subscribers) {
      const known = [...set].map((s) => s.cursor()).filter((c): c is number => c !== undefined);
      const after = this.lastRead.get(userId) ?? (known.length ? Math.min(...known) : undefined);
      if (after !== undefined) cursors.set(userId, after);
    }
    return cursors.size ? noticesSince(this.sql, cursors) : Promise.resolve([]);
  }

  private dispatch(notices: Notice[]) {
    for (const notice of notices) {
      const set = this.subscribers.get(notice.recipientId);
      if (!set || notice.id <= (this.lastRead.get(notice.recipientId) ?? -1)) continue;
      this.lastRead.set(notice.recipientId, notice.id);
      for (const sub of set) sub.push(notice);
    }
  }

  private async flushDelivered() {
    this.deliveredTimer = undefined;
    if (!this.delivered.size) return;
    const written = this.delivered;
    this.delivered = new Map();
    await markDelivered(this.sql, written).catch((err) => this.log.error({ err }, 'marking notifications delivered failed'));
  }
}
