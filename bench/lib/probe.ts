import { Agent, get } from 'node:http';
import { summarize } from './stats.ts';

/**
 * Measures from outside how long the app takes to answer GET /healthz, every `everyMs`: with the
 * app otherwise idle this is its event-loop delay plus a loopback round trip (an upper bound).
 */
export function healthProbe(base: string, everyMs = 20) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const sample: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t = performance.now();
      await new Promise<void>((done) => get(`${base}/healthz`, { agent }, (res) => res.resume().on('end', done)).on('error', () => done()));
      sample.push(performance.now() - t);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return async () => {
    running = false;
    await loop;
    agent.destroy();
    return summarize(sample);
  };
}
