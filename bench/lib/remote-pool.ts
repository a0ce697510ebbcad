import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { missed, type Arrival } from './sse.ts';
import type { FromLoader, ToLoader } from './stream-loader.ts';

const loaderFile = fileURLToPath(new URL('./stream-loader.ts', import.meta.url));

interface Loader {
  child: ChildProcess;
  /** Index of its first stream in the pool. */
  offset: number;
  duplicates: number;
  ended: number;
  exited: Promise<void>;
}

/**
 * Event streams held by `processes` child processes (bench/lib/stream-loader.ts), seen from the
 * bench as one pool with StreamPool's figures: arrivals (while recording), duplicates, streams
 * ended, and what each stream missed. Arrivals carry the child's arrival time (same clock).
 */
export class RemotePool {
  arrivals: Arrival[] = [];
  recording = false;
  private readonly streams: { userId: string; seen: Set<number> }[] = [];
  private readonly loaders: Loader[] = [];

  constructor(private readonly base: string) {}

  get duplicates() {
    return this.loaders.reduce((n, l) => n + l.duplicates, 0);
  }

  get ended() {
    return this.loaders.reduce((n, l) => n + l.ended, 0);
  }

  get size() {
    return this.streams.length;
  }

  /** Opens one stream per entry in a new child process; resolves once all of them are open. */
  async open(users: { userId: string; token: string }[], parallel = 100) {
    const child = fork(loaderFile, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const loader: Loader = { child, offset: this.streams.length, duplicates: 0, ended: 0, exited: new Promise((done) => child.once('exit', () => done())) };
    this.loaders.push(loader);
    for (const u of users) this.streams.push({ userId: u.userId, seen: new Set() });
    await new Promise<void>((done, fail) => {
      child.on('message', (m: FromLoader) => {
        if (m.type === 'opened') done();
        else if (m.type === 'failed') fail(new Error(`a stream loader failed: ${m.message}`));
        else this.received(loader, m);
      });
      child.once('exit', (code) => fail(new Error(`a stream loader exited (${code})`)));
      child.send({ type: 'open', base: this.base, users, parallel } satisfies ToLoader);
    });
  }

  private received(loader: Loader, m: Extract<FromLoader, { type: 'arrivals' }>) {
    loader.duplicates = m.duplicates;
    loader.ended = m.ended;
    for (const a of m.arrivals) {
      const stream = loader.offset + a.stream;
      this.streams[stream]!.seen.add(a.id);
      if (this.recording) this.arrivals.push({ ...a, stream });
    }
  }

  /** How many of `expected` (recipient user, notification id) each stream of that user missed. */
  lost(expected: { recipientId: string; id: number }[]) {
    return missed(this.streams, expected);
  }

  /** Closes every stream (the children exit). */
  async close() {
    this.recording = false;
    for (const l of this.loaders) l.child.send({ type: 'close' } satisfies ToLoader);
    await Promise.all(this.loaders.map((l) => l.exited));
    this.loaders.length = 0;
  }
}
