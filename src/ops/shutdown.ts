import type { ServerType } from '@hono/node-server';
import { constants } from 'node:os';
import type { Logger } from './log.ts';

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

/**
 * The HTTP side of a graceful stop. While draining, `/readyz` answers 503 so that the proxy's
 * health check takes this process out of rotation, and every other request is still served, with
 * `Connection: close` so that a keep-alive client opens its next connection to another process.
 * A proxy retries a request it could not send, never one a closing process cut: hence serving on.
 */
export class Drain {
  draining = false;

  constructor(private readonly inner: Fetch) {}

  fetch: Fetch = async (request, env) => {
    if (this.draining && new URL(request.url).pathname === '/readyz') return Response.json({ status: 'draining' }, { status: 503, headers: { connection: 'close' } });
    const response = await this.inner(request, env);
    // Checked once the answer is ready: a request that arrived before the drain may end during it.
    if (this.draining) response.headers.set('connection', 'close');
    return response;
  };
}

export interface ShutdownPlan {
  server: ServerType;
  drain: Drain;
  log: Logger;
  /** How long to keep serving after /readyz turned 503 (the proxy checks it about every second). */
  drainMs: number;
  /** Then how long requests in flight may take before their connections are cut. */
  inFlightMs?: number;
  /** Ends the live event streams with a retry hint, so that their clients reconnect elsewhere. */
  endStreams(): void;
  /** Closes what remains once HTTP has stopped: LISTEN, the pools, the embedded database. */
  release(): Promise<void>;
}

/**
 * A signal sent to a process group reaches the server and npm, which passes it on: the server
 * sees it twice within milliseconds. Within this window a second signal is the same request.
 */
const SAME_SIGNAL_MS = 1000;
/** Closing LISTEN, the pools and the embedded database; past this the process exits 1. */
const RELEASE_MS = 10_000;

const wait = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/**
 * SIGTERM or SIGINT: drain, stop accepting, finish requests in flight (bounded), end event
 * streams, release the database, exit 0; each phase is logged. A second signal exits at once.
 */
export function stopOnSignals(plan: ShutdownPlan) {
  let firstAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstAt === undefined) {
      firstAt = Date.now();
      shutdown(plan, signal).catch((err) => {
        plan.log.error({ err }, 'shutdown failed');
        process.exit(1);
      });
    } else if (Date.now() - firstAt < SAME_SIGNAL_MS) {
      plan.log.debug({ signal }, 'shutdown: the same signal again (relayed), ignored');
    } else {
      plan.log.warn({ signal }, 'shutdown: second signal, exiting at once');
      process.exit(128 + constants.signals[signal]);
    }
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}

async function shutdown({ server, drain, log, drainMs, inFlightMs = 5000, endStreams, release }: ShutdownPlan, signal: NodeJS.Signals) {
  const started = Date.now();
  setTimeout(() => {
    log.error({ ms: Date.now() - started }, 'shutdown: taking too long, exiting');
    process.exit(1);
  }, drainMs + inFlightMs + RELEASE_MS).unref();

  drain.draining = true;
  log.info({ signal, phase: 'drain', drainMs }, 'shutdown: draining (/readyz 503, still serving with Connection: close)');
  await wait(drainMs);

  log.info({ phase: 'close' }, 'shutdown: stopped accepting; finishing requests in flight, ending event streams');
  const closed = new Promise<void>((done) => server.close(() => done()));
  endStreams();
  // A keep-alive connection goes as soon as its last request in flight has been answered.
  const http = server as unknown as { closeIdleConnections(): void; closeAllConnections(): void };
  const closeIdle = setInterval(() => http.closeIdleConnections(), 50);
  const finished = await Promise.race([closed.then(() => true), wait(inFlightMs).then(() => false)]);
  clearInterval(closeIdle);
  if (!finished) {
    log.warn({ phase: 'close', inFlightMs }, 'shutdown: requests still in flight, closing their connections');
    http.closeAllConnections();
    await closed;
  }

  log.info({ phase: 'release' }, 'shutdown: closing LISTEN, the pool and the database');
  await release();
  log.info({ ms: Date.now() - started }, 'stopped');
  process.exit(0);
}
