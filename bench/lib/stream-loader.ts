/**
 * A child process of the bench holding a share of the event streams (bench/lib/remote-pool.ts):
 * a process may hold at most 20,000 open files here, so the app's streams and the client's
 * sockets cannot all live in one process. Every `order_notification` it reads is passed to the
 * parent as it arrives, with the time it arrived.
 */
import { StreamPool, type Arrival } from './sse.ts';

export type ToLoader =
  | { type: 'open'; base: string; users: { userId: string; token: string }[]; parallel: number }
  | { type: 'close' };
export type FromLoader =
  | { type: 'opened' }
  | { type: 'failed'; message: string }
  | { type: 'arrivals'; arrivals: Arrival[]; duplicates: number; ended: number };

const send = (m: FromLoader) => process.send!(m);
let pool: StreamPool | undefined;

process.on('message', (m: ToLoader) => {
  if (m.type === 'open') {
    pool = new StreamPool(m.base);
    pool.recording = true;
    pool.open(m.users, m.parallel).then(
      () => send({ type: 'opened' }),
      (err: Error) => send({ type: 'failed', message: err.message }),
    );
  } else {
    pool?.close();
    process.exit(0);
  }
});

let reported = { duplicates: 0, ended: 0 };
setInterval(() => {
  if (!pool) return;
  const now = { duplicates: pool.duplicates, ended: pool.ended };
  if (!pool.arrivals.length && now.duplicates === reported.duplicates && now.ended === reported.ended) return;
  reported = now;
  send({ type: 'arrivals', arrivals: pool.arrivals.splice(0), ...now });
}, 10);
