import type { Logger } from '../ops/log.ts';
import { retryHint } from './sse.ts';

/** What the heartbeat needs of a stream. */
export interface Beating {
  /** Writes a heartbeat comment; false once the stream is closed. */
  heartbeat(): boolean;
  /** Ends the stream because its session is gone. */
  sessionEnded(retryMs: number): void;
}

/** Of the given session ids, those still valid (one query for all). */
export type SessionsAlive = (sessionIds: string[]) => Promise<Set<string>>;

/** The wheel turns about once a second, so each turn beats about 1/15 of the streams. */
const TICK_MS = 1000;
/**
 * Beats written before the turn lets other work run (setImmediate). Each beat costs Node a
 * writev of its own (70 us on this machine under load): 1,267 of them in one go (19,000 streams)
 * held the event loop for about 90 ms every second (decision 020).
 */
const BEATS_PER_BREATH = 100;
const breathe = () => new Promise<void>((resume) => setImmediate(resume));

/**
 * Every stream's heartbeat on one timer: streams are spread round-robin over the slots of a wheel
 * that turns once per heartbeat interval, so each beats once per interval and the writes are
 * spread over it. Each turn checks the sessions of the streams it beat in one query, so a revoked
 * or expired session ends its streams within one interval, at one query per turn whatever the
 * number of streams. A failed check ends nothing (the next turn of that slot checks again). A turn
 * writes its beats in batches, letting I/O in between, so a big slot never holds the event loop.
 */
export class Heartbeats {
  private readonly slots: Map<Beating, string>[];
  private next = 0;
  private added = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    intervalMs: number,
    private readonly sessionsAlive: SessionsAlive,
    private readonly log: Logger,
    tickMs = TICK_MS,
  ) {
    const count = Math.max(1, Math.round(intervalMs / tickMs));
    this.slots = Array.from({ length: count }, () => new Map());
    this.timer = setInterval(() => void this.tick(), intervalMs / count);
    this.timer.unref();
  }

  /** Beats the stream from the next turn of its slot on; returns its removal. */
  add(stream: Beating, sessionId: string): () => void {
    const slot = this.slots[this.added++ % this.slots.length]!;
    slot.set(stream, sessionId);
    return () => void slot.delete(stream);
  }

  /** One turn of the wheel (the timer's; tests call it directly). */
  async tick() {
    const slot = this.slots[this.next]!;
    this.next = (this.next + 1) % this.slots.length;
    const beaten: [Beating, string][] = [];
    let written = 0;
    for (const [stream, sessionId] of slot) {
      if (stream.heartbeat()) beaten.push([stream, sessionId]);
      if (++written % BEATS_PER_BREATH === 0) await breathe();
    }
    if (!beaten.length) return;
    let alive: Set<string>;
    try {
      alive = await this.sessionsAlive([...new Set(beaten.map(([, id]) => id))]);
    } catch (err) {
      this.log.warn({ err, streams: beaten.length }, 'checking the sessions of open streams failed');
      return;
    }
    for (const [stream, sessionId] of beaten) if (!alive.has(sessionId)) stream.sessionEnded(retryHint(5000, 5000));
  }

  close() {
    clearInterval(this.timer);
  }
}
