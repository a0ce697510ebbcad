import { BENCH_METRICS_TOKEN } from './app.ts';

/** Reads the app's Prometheus text from GET /metrics into name -> value (labels ignored, first sample wins). */
export async function scrape(base: string): Promise<Map<string, number>> {
  const text = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } }).then((r) => (r.ok ? r.text() : ''), () => '');
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{[^}]*\})?\s+(\S+)/.exec(line);
    if (m && !values.has(m[1]!)) values.set(m[1]!, Number(m[3]));
  }
  return values;
}

/**
 * The app's own event-loop delay (prom-client's monitorEventLoopDelay, reset at every scrape):
 * scrape once to start a window, then `read` gives the window's figures in milliseconds.
 */
export async function eventLoopWindow(base: string) {
  const first = await scrape(base);
  if (!first.has('nodejs_eventloop_lag_p99_seconds')) return null;
  return async () => {
    const m = await scrape(base);
    const ms = (name: string) => Math.round((m.get(name) ?? NaN) * 10000) / 10;
    return { p50: ms('nodejs_eventloop_lag_p50_seconds'), p99: ms('nodejs_eventloop_lag_p99_seconds'), max: ms('nodejs_eventloop_lag_max_seconds') };
  };
}
