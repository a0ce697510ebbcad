import { pino } from 'pino';
import { afterEach, expect, it } from 'vitest';
import { Heartbeats, type Beating } from '../../../src/notifications/heartbeats.ts';

const log = pino({ level: 'silent' });
let wheel: Heartbeats | undefined;
afterEach(() => wheel?.close());

class FakeStream implements Beating {
  beats = 0;
  endedWith: number | undefined;
  open = true;
  heartbeat() {
    if (this.open) this.beats++;
    return this.open;
  }
  sessionEnded(retryMs: number) {
    this.endedWith = retryMs;
    this.open = false;
  }
}

/** A heartbeat of 5 ticks; the session check records its calls and answers from `valid`. */
function makeWheel(valid: Set<string> | Error) {
  const checks: string[][] = [];
  wheel = new Heartbeats(5000, async (ids) => {
    checks.push(ids);
    if (valid instanceof Error) throw valid;
    return new Set(ids.filter((id) => valid.has(id)));
  }, log, 1000);
  return { wheel, checks };
}

it('beats every stream once per turn of the wheel, a slot per tick, with one session query per tick', async () => {
  const { wheel, checks } = makeWheel(new Set(['s1', 's2']));
  const streams = Array.from({ length: 12 }, () => new FakeStream());
  streams.forEach((s, i) => wheel.add(s, i % 2 ? 's1' : 's2'));
  for (let tick = 0; tick < 5; tick++) await wheel.tick();
  expect(streams.map((s) => s.beats)).toEqual(Array(12).fill(1));
  expect(checks).toHaveLength(5); // one query per tick, not one per stream
  // Every slot holds streams of both sessions (3, 3, 2, 2, 2 streams): each is asked once per tick.
  expect(checks.map((ids) => [...ids].sort())).toEqual(Array(5).fill(['s1', 's2']));
  expect(streams.every((s) => s.endedWith === undefined)).toBe(true);
});

it('ends, at its next beat, every stream whose session is gone, and only those', async () => {
  const { wheel } = makeWheel(new Set(['kept']));
  const gone = [new FakeStream(), new FakeStream()];
  const kept = new FakeStream();
  wheel.add(gone[0]!, 'revoked');
  wheel.add(kept, 'kept');
  wheel.add(gone[1]!, 'revoked');
  for (let tick = 0; tick < 5; tick++) await wheel.tick();
  expect(gone.map((s) => s.endedWith! >= 5000)).toEqual([true, true]);
  expect(kept.endedWith).toBeUndefined();
});

it('ends nothing when the session check fails, and does not beat or check closed or removed streams', async () => {
  const failing = makeWheel(new Error('database away'));
  const s = new FakeStream();
  failing.wheel.add(s, 'x');
  await failing.wheel.tick();
  expect(s.beats).toBe(1);
  expect(s.endedWith).toBeUndefined();
  failing.wheel.close();

  const { wheel, checks } = makeWheel(new Set());
  const closed = new FakeStream();
  closed.open = false;
  const removed = new FakeStream();
  wheel.add(closed, 'a');
  const remove = wheel.add(removed, 'b');
  remove();
  for (let tick = 0; tick < 5; tick++) await wheel.tick();
  expect(removed.beats).toBe(0);
  expect(checks).toEqual([]);
});

it('writes a big slot in batches, letting other work run between them, and still checks its sessions once', async () => {
  const checks: string[][] = [];
  wheel = new Heartbeats(1000, async (ids) => (checks.push(ids), new Set(ids)), log, 1000); // one slot
  const streams = Array.from({ length: 250 }, () => new FakeStream());
  for (const s of streams) wheel.add(s, 's');
  const beatWhenOtherWorkRan = new Promise<number>((done) => setImmediate(() => done(streams.filter((s) => s.beats > 0).length)));
  const turn = wheel.tick();
  const between = await beatWhenOtherWorkRan;
  await turn;
  expect(between).toBeGreaterThan(0);
  expect(between).toBeLessThan(250);
  expect(streams.every((s) => s.beats === 1)).toBe(true);
  expect(checks).toEqual([['s']]);
});
