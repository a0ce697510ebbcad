import type { ServerOptions } from 'node:http';
import type { Config } from '../config.ts';

/**
 * Node's HTTP server options: a request's headers and its whole body must arrive within
 * REQUEST_TIMEOUT_SECONDS (Node's default gives a body trickling in at 1 byte/s 300 s), else 408
 * and the connection is closed. Only the request counts: an event stream's response may last for
 * hours. Node looks for late requests every `connectionsCheckingInterval`, so that is kept short.
 */
export function serverOptions(config: Config): ServerOptions {
  const timeout = config.REQUEST_TIMEOUT_SECONDS * 1000;
  return { requestTimeout: timeout, headersTimeout: timeout, connectionsCheckingInterval: Math.min(1000, timeout) };
}
